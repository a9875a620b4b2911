/**
 * The size an archive will have, before any byte is compressed: exact when
 * every file is stored (predictZipLength), a range when some are deflated.
 * DEFLATE shrinks data by at most 1032:1 (a run of one byte: 258-byte matches
 * coded in about two bits; zlib FAQ "What's the maximum compression ratio?")
 * and grows it by at most zlib's `deflateBound` (stored blocks: 5 bytes per
 * 16 KiB plus a little; zlib `deflate.c` `deflateBound`). Header sizes follow
 * the uncompressed size, so the bounds are off by at most a ZIP64 extra field
 * (28 bytes) per file of 4 GiB or more.
 */
import { predictZipLength, type PredictedEntry } from './length';
import { chooseMethod, type CompressionPolicy } from './method';

export interface LengthRange {
  min: number;
  max: number;
}

/** Fewest bytes DEFLATE turns `size` bytes into. */
export function deflatedAtLeast(size: number): number {
  return size === 0 ? 2 : Math.ceil(size / 1032) + 2;
}

/** Most bytes DEFLATE turns `size` bytes into (zlib `deflateBound`, raw: no zlib header or trailer). */
export function deflatedAtMost(size: number): number {
  return size + Math.floor(size / 4096) + Math.floor(size / 16384) + Math.floor(size / 33554432) + 7;
}

/**
 * The archive's length range for `entries` under `mode` (as the writer picks a
 * method per file: lib/zip/method.ts `chooseMethod`, by name only here).
 */
export function predictZipLengthRange(
  entries: readonly PredictedEntry[],
  mode: CompressionPolicy['mode'],
): LengthRange {
  const policy: CompressionPolicy = { mode, level: 6 };
  const deflated = (entry: PredictedEntry) =>
    entry.kind === 'file' && chooseMethod(entry.name, undefined, policy) === 'deflate';
  const sized = (bound: (size: number) => number) =>
    entries.map((entry) => (deflated(entry) ? { ...entry, size: bound(entry.size) } : entry));
  return { min: predictZipLength(sized(deflatedAtLeast)), max: predictZipLength(sized(deflatedAtMost)) };
}
