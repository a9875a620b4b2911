/**
 * Binary records of a zip archive (PKWARE APPNOTE.TXT 6.3.10). Each function
 * returns the bytes of one record; all multi-byte fields are little-endian
 * (APPNOTE 4.4.1.1). 64-bit fields are written as two 32-bit halves so plain
 * numbers (exact up to 2^53) suffice and no BigInt is needed.
 */
import { EXTENDED_TIMESTAMP_LENGTH, writeExtendedTimestamp, type DosDateTime } from './time';

export type ZipMethod = 'store' | 'deflate';

/** Everything the local header, data descriptor and central header of one entry need. */
export interface EntryRecordInfo {
  nameBytes: Uint8Array;
  kind: 'file' | 'folder';
  method: ZipMethod;
  /** General purpose bit flags (APPNOTE 4.4.4). */
  flags: number;
  dos: DosDateTime;
  /** mtime for the 0x5455 field, or null to omit it. */
  unixSeconds: number | null;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header from the start of the archive. */
  offset: number;
  /** The local header carries a ZIP64 extra field, so the data descriptor uses 8-byte sizes (APPNOTE 4.3.9.2). */
  zip64Local: boolean;
}

/** Bit 3: crc and sizes follow the data in a data descriptor (APPNOTE 4.4.4). */
export const FLAG_DATA_DESCRIPTOR = 1 << 3;
/** Bit 11: name is UTF-8 (APPNOTE 4.4.4, appendix D.2). */
export const FLAG_UTF8 = 1 << 11;

const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;
const METHOD_CODE: Record<ZipMethod, number> = { store: 0, deflate: 8 };
// External attributes with "version made by" host 3 (UNIX, APPNOTE 4.4.2.2):
// the high 16 bits are st_mode, the low byte the MS-DOS attributes (0x10 = directory).
const ATTRS_FOLDER = ((0o040755 << 16) | 0x10) >>> 0;
const ATTRS_FILE = (0o100644 << 16) >>> 0;

function setUint64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % 0x100000000, true);
  view.setUint32(at + 4, Math.floor(value / 0x100000000), true);
}

// Records are carved out of shared 64 KiB slabs: allocating one small
// ArrayBuffer per record was the main per-entry cost (profiled: ≈40% of
// predictZipLength for 70,000 entries). Slabs are bump-allocated and never
// rewound, so a returned record is never overwritten later.
const SLAB_SIZE = 64 * 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;

function record(length: number): { bytes: Uint8Array; view: DataView } {
  if (slabUsed + length > SLAB_SIZE) {
    if (length > SLAB_SIZE / 4) {
      const bytes = new Uint8Array(length);
      return { bytes, view: new DataView(bytes.buffer) };
    }
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const bytes = new Uint8Array(slab, slabUsed, length);
  const view = new DataView(slab, slabUsed, length);
  slabUsed += length;
  return { bytes, view };
}

/** Which central-directory fields overflow 32 bits and move to the ZIP64 extra field. */
function centralOverflow(info: EntryRecordInfo): { size: boolean; compressed: boolean; offset: boolean } {
  // ≥ rather than >: 0xFFFFFFFF itself is the "see ZIP64 extra" marker (APPNOTE 4.4.8).
  return { size: info.size >= MAX_32, compressed: info.compressedSize >= MAX_32, offset: info.offset >= MAX_32 };
}

/**
 * "Version needed to extract" (APPNOTE 4.4.3.2): 4.5 only where ZIP64 is really
 * used, since 4.5 on every entry breaks MS Office containers (docs/zip-format.md#version-needed-to-extract,
 * client-zip#59); 2.0 for deflate and folders; 1.0 for stored files.
 */
export function versionNeeded(info: EntryRecordInfo): number {
  const over = centralOverflow(info);
  if (info.zip64Local || over.size || over.compressed || over.offset) return 45;
  return info.kind === 'folder' || info.method === 'deflate' ? 20 : 10;
}

function timestampLength(info: EntryRecordInfo): number {
  return info.unixSeconds === null ? 0 : EXTENDED_TIMESTAMP_LENGTH;
}

/**
 * Local file header (APPNOTE 4.3.7). With bit 3 the crc and sizes are zero here
 * (4.4.4); with ZIP64 the sizes are 0xFFFFFFFF and the ZIP64 extra field holds
 * BOTH 8-byte sizes, as 4.5.3 requires in local headers.
 */
export function localFileHeader(info: EntryRecordInfo): Uint8Array {
  const nameLength = info.nameBytes.length;
  const extraLength = (info.zip64Local ? 20 : 0) + timestampLength(info);
  const { bytes, view } = record(30 + nameLength + extraLength);
  const deferred = (info.flags & FLAG_DATA_DESCRIPTOR) !== 0;
  view.setUint32(0, 0x04034b50, true);
  view.setUint16(4, versionNeeded(info), true);
  view.setUint16(6, info.flags, true);
  view.setUint16(8, METHOD_CODE[info.method], true);
  view.setUint16(10, info.dos.time, true);
  view.setUint16(12, info.dos.date, true);
  view.setUint32(14, deferred ? 0 : info.crc, true);
  view.setUint32(18, info.zip64Local ? MAX_32 : deferred ? 0 : info.compressedSize, true);
  view.setUint32(22, info.zip64Local ? MAX_32 : deferred ? 0 : info.size, true);
  view.setUint16(26, nameLength, true);
  view.setUint16(28, extraLength, true);
  bytes.set(info.nameBytes, 30);
  let at = 30 + nameLength;
  if (info.zip64Local) {
    // ZIP64 extended information extra field 0x0001 (APPNOTE 4.5.3): original size, compressed size.
    view.setUint16(at, 0x0001, true);
    view.setUint16(at + 2, 16, true);
    setUint64(view, at + 4, deferred ? 0 : info.size);
    setUint64(view, at + 12, deferred ? 0 : info.compressedSize);
    at += 20;
  }
  if (info.unixSeconds !== null) writeExtendedTimestamp(view, at, info.unixSeconds);
  return bytes;
}

/**
 * Data descriptor (APPNOTE 4.3.9) with the optional signature 0x08074b50
 * (4.3.9.3); 8-byte sizes when the local header has a ZIP64 extra (4.3.9.2).
 */
export function dataDescriptor(info: EntryRecordInfo): Uint8Array {
  const { bytes, view } = record(info.zip64Local ? 24 : 16);
  view.setUint32(0, 0x08074b50, true);
  view.setUint32(4, info.crc, true);
  if (info.zip64Local) {
    setUint64(view, 8, info.compressedSize);
    setUint64(view, 16, info.size);
  } else {
    view.setUint32(8, info.compressedSize, true);
    view.setUint32(12, info.size, true);
  }
  return bytes;
}

/**
 * Central directory file header (APPNOTE 4.3.12). Overflowing fields read
 * 0xFFFFFFFF and their values go into the ZIP64 extra field, only those, in the
 * order original size, compressed size, local header offset (4.5.3).
 */
export function centralDirectoryHeader(info: EntryRecordInfo): Uint8Array {
  const over = centralOverflow(info);
  const zip64Length = (over.size ? 8 : 0) + (over.compressed ? 8 : 0) + (over.offset ? 8 : 0);
  const nameLength = info.nameBytes.length;
  const extraLength = (zip64Length ? 4 + zip64Length : 0) + timestampLength(info);
  const { bytes, view } = record(46 + nameLength + extraLength);
  const version = versionNeeded(info);
  view.setUint32(0, 0x02014b50, true);
  view.setUint16(4, (3 << 8) | version, true);
  view.setUint16(6, version, true);
  view.setUint16(8, info.flags, true);
  view.setUint16(10, METHOD_CODE[info.method], true);
  view.setUint16(12, info.dos.time, true);
  view.setUint16(14, info.dos.date, true);
  view.setUint32(16, info.crc, true);
  view.setUint32(20, over.compressed ? MAX_32 : info.compressedSize, true);
  view.setUint32(24, over.size ? MAX_32 : info.size, true);
  view.setUint16(28, nameLength, true);
  view.setUint16(30, extraLength, true);
  // Comment length, disk number start, internal attributes: all zero (bytes 32..37).
  view.setUint32(38, info.kind === 'folder' ? ATTRS_FOLDER : ATTRS_FILE, true);
  view.setUint32(42, over.offset ? MAX_32 : info.offset, true);
  bytes.set(info.nameBytes, 46);
  let at = 46 + nameLength;
  if (zip64Length) {
    view.setUint16(at, 0x0001, true);
    view.setUint16(at + 2, zip64Length, true);
    at += 4;
    // Only the overflowing fields, in APPNOTE 4.5.3 order.
    for (const [overflows, value] of [
      [over.size, info.size],
      [over.compressed, info.compressedSize],
      [over.offset, info.offset],
    ] as const) {
      if (!overflows) continue;
      setUint64(view, at, value);
      at += 8;
    }
  }
  if (info.unixSeconds !== null) writeExtendedTimestamp(view, at, info.unixSeconds);
  return bytes;
}

/** Where the central directory sits, as the end records describe it. */
export interface DirectoryInfo {
  count: number;
  size: number;
  offset: number;
}

/** ZIP64 end records are needed when a count or position overflows the classic end record (APPNOTE 4.4.1.4). */
export function needsZip64End(dir: DirectoryInfo): boolean {
  return dir.count >= MAX_16 || dir.size >= MAX_32 || dir.offset >= MAX_32;
}

/** Zip64 end of central directory record, version 1 (APPNOTE 4.3.14). */
export function zip64EndRecord(dir: DirectoryInfo): Uint8Array {
  const { bytes, view } = record(56);
  view.setUint32(0, 0x06064b50, true);
  // Size of the remaining record: total minus the 12 leading bytes (4.3.14.1).
  setUint64(view, 4, 44);
  view.setUint16(12, (3 << 8) | 45, true);
  view.setUint16(14, 45, true);
  // Number of this disk and of the disk with the central directory: 0 (bytes 16..23).
  setUint64(view, 24, dir.count);
  setUint64(view, 32, dir.count);
  setUint64(view, 40, dir.size);
  setUint64(view, 48, dir.offset);
  return bytes;
}

/** Zip64 end of central directory locator (APPNOTE 4.3.15). */
export function zip64EndLocator(zip64EndOffset: number): Uint8Array {
  const { bytes, view } = record(20);
  view.setUint32(0, 0x07064b50, true);
  setUint64(view, 8, zip64EndOffset);
  view.setUint32(16, 1, true);
  return bytes;
}

/**
 * End of central directory record (APPNOTE 4.3.16). Fields too small for their
 * value read 0xFFFF / 0xFFFFFFFF and the ZIP64 record holds the truth (4.4.1.4).
 */
export function endOfCentralDirectory(dir: DirectoryInfo): Uint8Array {
  const { bytes, view } = record(22);
  const count = Math.min(dir.count, MAX_16);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, count, true);
  view.setUint16(10, count, true);
  view.setUint32(12, Math.min(dir.size, MAX_32), true);
  view.setUint32(16, Math.min(dir.offset, MAX_32), true);
  return bytes;
}
