/**
 * Length of an archive before writing it (as client-zip's `predictLength`):
 * exact for stored entries, an upper bound for deflated ones, e.g. to check
 * quota, send a Content-Length or plan the parts of a split archive. It runs the
 * writer's own per-entry decisions and record encoders, so it cannot drift.
 */
import { ZipError } from '../errors';
import { encodeName, recordInfo, startCheckpoint } from './entry';
import { createNameRegistry, type EntryKind } from './names';
import {
  centralDirectoryHeader,
  dataDescriptor,
  endOfCentralDirectory,
  localFileHeader,
  needsZip64End,
  zip64EndLocator,
  zip64EndRecord,
  type ZipMethod,
} from './records';

export interface PredictedEntry {
  name: string;
  kind: EntryKind;
  size: number;
  modified: number;
}

/**
 * Most bytes DEFLATE can turn `size` incompressible bytes into. A deflater that
 * cannot shrink a block sends it stored: 5 header bytes per stored block
 * (RFC 1951 §3.2.4). zlib's own bound is about size/3277 + 13 (`deflateBound`,
 * zlib deflate.c); fflate ends a block after ≈7,000 symbols, so ≤ 1 byte per
 * 1,400. Six bytes per KiB plus 64 covers stored blocks down to 1 KiB.
 */
export function deflateBound(size: number): number {
  return size + Math.ceil(size / 1024) * 6 + 64;
}

export interface LengthCounter {
  /** Counts one more entry, in writing order. */
  add(entry: PredictedEntry & { method?: ZipMethod }): void;
  /** Length of the archive if it were finished now (entries, central directory, end records). */
  readonly length: number;
  /** Entries counted so far. */
  readonly count: number;
}

/**
 * Counts the length of an archive written from offset 0, entry by entry: exact for stored
 * entries, an upper bound for deflated ones (their data at `deflateBound`, and every
 * field that grows with a size grows no smaller).
 */
export function createLengthCounter(): LengthCounter {
  const names = createNameRegistry();
  let offset = 0;
  let directory = 0;
  let count = 0;
  return {
    add(input) {
      const method = input.kind === 'file' ? (input.method ?? 'store') : 'store';
      const name = names.register(input.name, input.kind);
      const entry = startCheckpoint(name, input.name, { ...input, method }, offset);
      const size = input.kind === 'file' ? input.size : 0;
      const compressedSize = method === 'deflate' ? deflateBound(size) : size;
      Object.assign(entry, { size, compressedSize });
      const info = recordInfo(entry, encodeName(name));
      offset += localFileHeader(info).length + compressedSize;
      if (input.kind === 'file') offset += dataDescriptor(info).length;
      directory += centralDirectoryHeader(info).length;
      count++;
    },
    get length() {
      const dir = { count, size: directory, offset };
      const zip64 = needsZip64End(dir) ? zip64EndRecord(dir).length + zip64EndLocator(0).length : 0;
      return offset + directory + zip64 + endOfCentralDirectory(dir).length;
    },
    get count() {
      return count;
    },
  };
}

/** Bytes the writer will produce for these entries, all stored, added in this order from offset 0. */
export function predictZipLength(entries: Iterable<PredictedEntry & { method?: ZipMethod }>): number {
  const counter = createLengthCounter();
  for (const entry of entries) {
    if (entry.method === 'deflate')
      throw new ZipError('Cannot predict the length of deflated entries', { name: entry.name });
    counter.add({ ...entry, method: 'store' });
  }
  return counter.length;
}
