import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chooseMethod } from './method';
import { deflatedAtLeast, deflatedAtMost, predictZipLengthRange } from './length-range';
import type { PredictedEntry } from './length';
import { createMemorySink } from './testing/memory-sink';
import { createZipWriter } from './writer';

const MODIFIED = Date.UTC(2024, 4, 1);

/** Writes `files` with the writer at every level the UI offers and answers the lengths. */
async function written(files: [string, Uint8Array | null][], mode: 'auto' | 'store' | 'deflate', level: number) {
  const sink = createMemorySink();
  const writer = createZipWriter({ sink, level });
  for (const [name, data] of files) {
    const kind = data ? 'file' : 'folder';
    const method = data ? chooseMethod(name, undefined, { mode, level }) : 'store';
    await writer.addEntry(
      { name, kind, modified: MODIFIED, method, size: data?.length },
      data
        ? (async function* () {
            yield data;
          })()
        : undefined,
    );
  }
  return (await writer.finish()).length;
}

const entriesOf = (files: [string, Uint8Array | null][]): PredictedEntry[] =>
  files.map(([name, data]) => ({ name, kind: data ? 'file' : 'folder', size: data?.length ?? 0, modified: MODIFIED }));

describe('predictZipLengthRange', () => {
  const files: [string, Uint8Array | null][] = [
    ['docs', null],
    ['docs/zeros.txt', new Uint8Array(300_000)],
    ['docs/noise.bin', randomBytes(200_000)],
    ['docs/photo.jpg', randomBytes(50_000)],
    ['docs/empty.txt', new Uint8Array(0)],
    ['readme.md', new TextEncoder().encode('hello world '.repeat(5000))],
  ];

  it('is exact when every file is stored', async () => {
    const range = predictZipLengthRange(entriesOf(files), 'store');
    expect(range.min).toBe(range.max);
    expect(await written(files, 'store', 6)).toBe(range.min);
  });

  it.each([
    ['auto', 1],
    ['auto', 6],
    ['deflate', 9],
    ['deflate', 1],
  ] as const)('holds what the writer writes (%s, level %d): best case zeros, worst case noise', async (mode, level) => {
    const range = predictZipLengthRange(entriesOf(files), mode);
    const actual = await written(files, mode, level);
    expect(range.min).toBeLessThanOrEqual(actual);
    expect(actual).toBeLessThanOrEqual(range.max);
    // The range is useful: noise alone keeps the floor high, zeros keep the ceiling above it.
    expect(range.max - range.min).toBeLessThan(800_000);
  });

  it('keeps an already-compressed file exact in auto mode', () => {
    const photo = entriesOf([['a.jpg', randomBytes(10_000)]]);
    const range = predictZipLengthRange(photo, 'auto');
    expect(range.min).toBe(range.max);
  });
});

describe('deflate bounds', () => {
  it('bracket what a real deflater writes for the extremes', async () => {
    const { deflateRawSync } = await import('node:zlib');
    for (const data of [new Uint8Array(1_000_000), randomBytes(1_000_000), new Uint8Array(0), randomBytes(1)]) {
      for (const level of [1, 6, 9]) {
        const size = deflateRawSync(data, { level }).length;
        expect(size).toBeGreaterThanOrEqual(deflatedAtLeast(data.length));
        expect(size).toBeLessThanOrEqual(deflatedAtMost(data.length));
      }
    }
  });
});
