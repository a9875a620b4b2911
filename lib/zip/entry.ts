/**
 * Per-entry decisions shared by the writer and `predictZipLength`, so the
 * prediction cannot drift from what is written: flags, name bytes, times and
 * whether the local header needs ZIP64.
 */
import { AppError } from '../errors';
import type { EntryKind } from './names';
import { FLAG_DATA_DESCRIPTOR, FLAG_UTF8, type EntryRecordInfo, type ZipMethod } from './records';
import { toDosDateTime, unixSeconds } from './time';

/** Everything the central directory needs about one finished entry; plain JSON, persisted for resume. */
export interface EntryCheckpoint {
  /** Final name inside the zip (safe, unique; folders end with '/'). */
  name: string;
  /** The name the caller asked for, replayed into the name registry on resume. */
  requestedName: string;
  kind: EntryKind;
  method: ZipMethod;
  flags: number;
  dosDate: number;
  dosTime: number;
  /** Modification time, epoch milliseconds, as given. */
  modified: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header. */
  offset: number;
  /** Offset right after this entry (after its data descriptor). */
  end: number;
  /** The local header has a ZIP64 extra field and the data descriptor 8-byte sizes. */
  zip64: boolean;
}

const MAX_32 = 0xffffffff;
const encoder = new TextEncoder();

/** Name bytes (UTF-8), refusing names the 16-bit length field cannot hold (APPNOTE 4.4.10). */
export function encodeName(name: string): Uint8Array {
  const bytes = encoder.encode(name);
  if (bytes.length > 0xffff) throw new AppError('invalid-name', 'Entry name is longer than 65,535 bytes', { name });
  return bytes;
}

/**
 * Bit 11 only for non-ASCII names, as Info-ZIP does: ASCII means the same in
 * CP437 and UTF-8, so ASCII-only archives stay byte-compatible with the
 * oldest readers, while any other name is marked UTF-8 (APPNOTE appendix D.2).
 * Files always stream with a data descriptor (bit 3): the sink is append-only,
 * so the CRC cannot be patched into the local header afterwards.
 */
export function entryFlags(name: string, kind: EntryKind): number {
  // eslint-disable-next-line no-control-regex
  const utf8 = /[^\u0000-\u007f]/.test(name) ? FLAG_UTF8 : 0;
  return kind === 'file' ? utf8 | FLAG_DATA_DESCRIPTOR : utf8;
}

/**
 * Whether the local header must announce ZIP64 before the data is seen: when
 * the size is unknown or it (plus deflate's worst-case growth of a few bytes
 * per stored block, generously bounded) could reach 4 GiB.
 */
export function needsZip64Local(kind: EntryKind, method: ZipMethod, size: number | undefined): boolean {
  if (kind === 'folder') return false;
  if (size === undefined) return true;
  const slack = method === 'deflate' ? Math.ceil(size / 1024) + 65536 : 0;
  return size + slack >= MAX_32;
}

/** Fresh checkpoint for an entry about to be written at `offset`; sizes and crc get filled in as data streams. */
export function startCheckpoint(
  name: string,
  requestedName: string,
  input: { kind: EntryKind; modified: number; method: ZipMethod; size?: number },
  offset: number,
): EntryCheckpoint {
  const dos = toDosDateTime(input.modified);
  return {
    name,
    requestedName,
    kind: input.kind,
    method: input.kind === 'folder' ? 'store' : input.method,
    flags: entryFlags(name, input.kind),
    dosDate: dos.date,
    dosTime: dos.time,
    modified: input.modified,
    crc: 0,
    compressedSize: 0,
    size: 0,
    offset,
    end: offset,
    zip64: needsZip64Local(input.kind, input.method, input.size),
  };
}

/** The record-level view of a checkpoint. */
export function recordInfo(checkpoint: EntryCheckpoint, nameBytes = encodeName(checkpoint.name)): EntryRecordInfo {
  return {
    nameBytes,
    kind: checkpoint.kind,
    method: checkpoint.method,
    flags: checkpoint.flags,
    dos: { date: checkpoint.dosDate, time: checkpoint.dosTime },
    unixSeconds: unixSeconds(checkpoint.modified),
    crc: checkpoint.crc,
    compressedSize: checkpoint.compressedSize,
    size: checkpoint.size,
    offset: checkpoint.offset,
    zip64Local: checkpoint.zip64,
  };
}
