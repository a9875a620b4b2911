/**
 * Exact length of a store-only archive before writing it (as client-zip's
 * `predictLength`), e.g. to check quota or send a Content-Length. It runs the
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
} from './records';

export interface PredictedEntry {
  name: string;
  kind: EntryKind;
  size: number;
  modified: number;
}

/** Bytes the writer will produce for these entries, all stored, added in this order from offset 0. */
export function predictZipLength(entries: Iterable<PredictedEntry & { method?: 'store' | 'deflate' }>): number {
  const names = createNameRegistry();
  let offset = 0;
  let directory = 0;
  let count = 0;
  for (const input of entries) {
    if (input.method === 'deflate')
      throw new ZipError('Cannot predict the length of deflated entries', { name: input.name });
    const name = names.register(input.name, input.kind);
    const entry = startCheckpoint(name, input.name, { ...input, method: 'store' }, offset);
    const size = input.kind === 'file' ? input.size : 0;
    Object.assign(entry, { size, compressedSize: size });
    const info = recordInfo(entry, encodeName(name));
    offset += localFileHeader(info).length + size;
    if (input.kind === 'file') offset += dataDescriptor(info).length;
    directory += centralDirectoryHeader(info).length;
    count++;
  }
  const dir = { count, size: directory, offset };
  const zip64 = needsZip64End(dir) ? zip64EndRecord(dir).length + zip64EndLocator(0).length : 0;
  return offset + directory + zip64 + endOfCentralDirectory(dir).length;
}
