import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fflateDeflater, nativeDeflater, type Deflater } from '../zip/deflate';
import { chooseMethod, type CompressionPolicy } from '../zip/method';
import { createMemorySink } from '../zip/testing/memory-sink';
import { createZipWriter } from '../zip/writer';
import { parsePartSize, partName, planParts, type PlannedPart } from './part-plan';
import type { SourceEntry } from './types';

const file = (name: string, size: number): SourceEntry => ({ name, kind: 'file', size, modified: 0, ref: name });
const folder = (name: string): SourceEntry => ({ name, kind: 'folder', size: 0, modified: 0, ref: name });

/** Writes one planned part with the real writer (data: random bytes, so deflate cannot shrink it). */
async function writePart(
  entries: SourceEntry[],
  part: PlannedPart,
  policy: CompressionPolicy,
  deflater: Deflater,
): Promise<number> {
  const sink = createMemorySink();
  const writer = createZipWriter({ sink, level: policy.level, deflater });
  for (const entry of entries.slice(part.first, part.first + part.count)) {
    const method = entry.kind === 'file' ? chooseMethod(entry.name, undefined, policy) : 'store';
    const data = entry.kind === 'file' ? [randomBytes(entry.size)] : undefined;
    await writer.addEntry({ ...entry, method, size: entry.kind === 'file' ? entry.size : undefined }, data);
  }
  const { length } = await writer.finish();
  expect(sink.bytes().length).toBe(length);
  return length;
}

/** Every entry in exactly one part, in listing order. */
function expectCovers(parts: PlannedPart[], total: number) {
  let next = 0;
  for (const part of parts) {
    expect(part.first).toBe(next);
    expect(part.count).toBeGreaterThan(0);
    next += part.count;
  }
  expect(next).toBe(total);
}

describe('partName', () => {
  it('numbers parts from 1 before the .zip extension', () => {
    expect(partName('photos.zip', 1)).toBe('photos.part1.zip');
    expect(partName('Backup 2024.ZIP', 12)).toBe('Backup 2024.part12.zip');
    expect(partName('no-extension', 2)).toBe('no-extension.part2.zip');
  });
});

describe('planParts', () => {
  const store: CompressionPolicy = { mode: 'store', level: 6 };

  it('fills parts up to the part size with stored files, and each part is exactly as long as planned', async () => {
    const entries = [folder('a'), ...Array.from({ length: 30 }, (_, i) => file(`a/f${i}.bin`, 1000 + i * 37))];
    const partBytes = 8 * 1024;
    const parts = planParts(entries, partBytes, store);
    expectCovers(parts, entries.length);
    expect(parts.length).toBeGreaterThan(3);
    for (const [i, part] of parts.entries()) {
      expect(part.oversized).toBeUndefined();
      expect(part.bound).toBeLessThanOrEqual(partBytes);
      expect(await writePart(entries, part, store, fflateDeflater)).toBe(part.bound);
      // Full: the next entry would not have fitted.
      const next = parts[i + 1];
      if (next) expect(planParts(entries.slice(part.first, next.first + 1), partBytes, store)).toHaveLength(2);
    }
  });

  it('gives a file bigger than a part a part of its own, flagged, and nothing joins it', () => {
    const entries = [file('small1', 100), file('huge', 50_000), file('small2', 100), file('small3', 100)];
    const parts = planParts(entries, 10_000, store);
    expect(parts.map(({ first, count, oversized }) => ({ first, count, oversized }))).toEqual([
      { first: 0, count: 1, oversized: undefined },
      { first: 1, count: 1, oversized: true },
      { first: 2, count: 2, oversized: undefined },
    ]);
    expect(parts[1]!.bound).toBeGreaterThan(50_000);
  });

  it('one part when everything fits', () => {
    const entries = [folder('x'), file('x/1', 10), file('x/2', 10)];
    expect(planParts(entries, 1024 * 1024, store)).toEqual([
      { first: 0, count: 3, bound: expect.any(Number) as number },
    ]);
  });

  // Random bytes are the worst case of DEFLATE: every block grows a little. The real
  // deflaters (fflate at its levels, zlib through CompressionStream) must stay under the bound.
  for (const [label, deflater, level] of [
    ['fflate level 1', fflateDeflater, 1],
    ['fflate level 9', fflateDeflater, 9],
    ['native zlib level 6', nativeDeflater, 6],
  ] as const) {
    it(`keeps deflated parts of incompressible data within their bound (${label})`, async () => {
      const policy: CompressionPolicy = { mode: 'deflate', level };
      const entries = Array.from({ length: 12 }, (_, i) => file(`r${i}.txt`, 20_000 + i * 9_999));
      const partBytes = 150_000;
      const parts = planParts(entries, partBytes, policy);
      expectCovers(parts, entries.length);
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts) {
        expect(part.bound).toBeLessThanOrEqual(partBytes);
        expect(await writePart(entries, part, policy, deflater)).toBeLessThanOrEqual(part.bound);
      }
    });
  }

  it('plans auto mode per file: stored extensions exactly, others by their deflate bound', () => {
    const auto: CompressionPolicy = { mode: 'auto', level: 6 };
    const stored = planParts([file('a.jpg', 5000)], 1 << 20, auto)[0]!.bound;
    const deflated = planParts([file('a.txt', 5000)], 1 << 20, auto)[0]!.bound;
    expect(stored).toBe(planParts([file('a.jpg', 5000)], 1 << 20, store)[0]!.bound);
    expect(deflated).toBeGreaterThan(stored);
  });
});

describe('parsePartSize', () => {
  it('reads binary units, fat32 and bytes', () => {
    expect(parsePartSize('4G')).toBe(4 * 2 ** 30);
    expect(parsePartSize('4 GiB')).toBe(4 * 2 ** 30);
    expect(parsePartSize('700m')).toBe(700 * 2 ** 20);
    expect(parsePartSize('1.5GB')).toBe(1.5 * 2 ** 30);
    expect(parsePartSize('fat32')).toBe(2 ** 32 - 1);
    expect(parsePartSize('300000')).toBe(300_000);
  });

  it('refuses what is not a size, or too small a part', () => {
    for (const text of ['', 'G', '-4G', '4X', '4 G G', '1k', '0']) expect(parsePartSize(text), text).toBeUndefined();
  });
});
