/**
 * Plans a split archive: which listed entries go into which part, before any
 * byte is zipped, so that each part is a complete zip of its own no larger than
 * the part size. Entries keep their listing order and never straddle parts; a
 * file that alone makes a part too large gets a part to itself (`oversized`).
 * Sizes are exact for stored files and an upper bound for deflated ones
 * (lib/zip/length.ts), so a planned part never exceeds its bound.
 */
import { createLengthCounter, type LengthCounter } from '../zip/length';
import { chooseMethod, type CompressionPolicy } from '../zip/method';
import type { SourceEntry } from './types';

export interface PlannedPart {
  /** Index (in the listing) of the part's first entry; the part runs to the next part's `first`. */
  first: number;
  /** Entries in the part. */
  count: number;
  /** Largest length the part's zip can have (its exact length when every file is stored). */
  bound: number;
  /** The part holds one file whose zip alone is larger than the part size. */
  oversized?: boolean;
}

/** Name of part `index` (from 1) of `name`: "photos.zip" → "photos.part1.zip". */
export function partName(name: string, index: number): string {
  const stem = name.toLowerCase().endsWith('.zip') ? name.slice(0, -4) : name;
  return `${stem}.part${index}.zip`;
}

/** Smallest part size accepted: a part must hold at least a few headers beside its data. */
export const MIN_PART_BYTES = 64 * 1024;

/**
 * Splits `entries` (in listing order) into parts of at most `partBytes` each. Pages of the
 * listing may be fed one after another: `add` takes the next entry, `finish` returns the plan.
 */
export function createPartPlanner(partBytes: number, policy: CompressionPolicy) {
  const parts: PlannedPart[] = [];
  let counter: LengthCounter = createLengthCounter();
  let current: PlannedPart | undefined;
  let index = 0;

  const measure = (entry: SourceEntry, into: LengthCounter) =>
    into.add({ ...entry, method: entry.kind === 'file' ? chooseMethod(entry.name, undefined, policy) : 'store' });

  return {
    add(entry: SourceEntry): void {
      measure(entry, counter);
      if (current && counter.length > partBytes && current.count > 0) {
        // The entry does not fit: the part ends before it, and a new one starts with it.
        counter = createLengthCounter();
        measure(entry, counter);
        current = undefined;
      }
      if (!current) {
        current = { first: index, count: 0, bound: 0 };
        parts.push(current);
      }
      current.count += 1;
      current.bound = counter.length;
      if (current.bound > partBytes) {
        // Alone and still too large: one file bigger than a part. Nothing joins it.
        if (entry.kind === 'file') current.oversized = true;
        counter = createLengthCounter();
        current = undefined;
      }
      index += 1;
    },
    finish(): PlannedPart[] {
      return parts;
    },
  };
}

/** The plan for a whole listing held in memory (tests, the preview). */
export function planParts(entries: Iterable<SourceEntry>, partBytes: number, policy: CompressionPolicy): PlannedPart[] {
  const planner = createPartPlanner(partBytes, policy);
  for (const entry of entries) planner.add(entry);
  return planner.finish();
}

/** FAT32 holds files of at most 4 GiB − 1 byte (a 32-bit size field): the part size for such drives. */
export const FAT32_PART_BYTES = 2 ** 32 - 1;

const UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * A part size as people write it: "4G", "700M", "1.5GiB", "4GB" (binary units, as
 * file managers count), "fat32" for FAT32's largest file, or bytes. Undefined when it
 * is not a size or is smaller than MIN_PART_BYTES.
 */
export function parsePartSize(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'fat32') return FAT32_PART_BYTES;
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/.exec(trimmed);
  if (!match) return undefined;
  const bytes = Math.floor(Number(match[1]) * UNITS[match[2]!]!);
  return bytes >= MIN_PART_BYTES && Number.isSafeInteger(bytes) ? bytes : undefined;
}
