import { describe, expect, it } from 'vitest';
import { predictZipLength, type PredictedEntry } from './length';
import { createMemorySink } from './testing/memory-sink';
import { createZipWriter } from './writer';

async function actualLength(entries: PredictedEntry[]): Promise<number> {
  const sink = createMemorySink();
  const writer = createZipWriter({ sink });
  for (const entry of entries) {
    const data = entry.kind === 'file' ? [new Uint8Array(entry.size)] : undefined;
    await writer.addEntry({ ...entry, method: 'store' }, data);
  }
  const { length } = await writer.finish();
  expect(sink.bytes().length).toBe(length);
  return length;
}

describe('predictZipLength', () => {
  it('is 22 bytes for an empty archive', async () => {
    expect(predictZipLength([])).toBe(22);
    expect(await actualLength([])).toBe(22);
  });

  it('equals the real length for mixed names, folders, duplicates and dates out of range', async () => {
    const entries: PredictedEntry[] = [
      { name: 'docs', kind: 'folder', size: 0, modified: Date.UTC(2020, 0, 1) },
      { name: 'docs/a b.txt', kind: 'file', size: 1234, modified: Date.UTC(1950, 0, 1) },
      { name: 'docs/a b.txt', kind: 'file', size: 0, modified: Date.UTC(2200, 0, 1) },
      { name: '../目录/😀.bin', kind: 'file', size: 70_000, modified: Number.NaN },
      { name: 'C:\\x\\y', kind: 'file', size: 1, modified: Date.UTC(2040, 0, 1) },
    ];
    expect(predictZipLength(entries)).toBe(await actualLength(entries));
  });

  it('equals the real length with the ZIP64 end record (70,000 entries)', async () => {
    const entries: PredictedEntry[] = Array.from({ length: 70_000 }, (_, i) => ({
      name: `f/${i}.txt`,
      kind: 'file' as const,
      size: i % 3,
      modified: 0,
    }));
    expect(predictZipLength(entries)).toBe(await actualLength(entries));
  }, 60_000);

  it('accounts for ZIP64 local headers of entries over 4 GiB', () => {
    const small = predictZipLength([{ name: 'x', kind: 'file', size: 0xfffffffe, modified: 0 }]);
    const big = predictZipLength([{ name: 'x', kind: 'file', size: 0xffffffff, modified: 0 }]);
    // +1 data byte, +20 ZIP64 local extra, +8 descriptor, +12 central extra (size and compressed size).
    expect(big - small).toBe(1 + 20 + 8 + 20);
  });

  it('refuses deflated entries', () => {
    expect(() => predictZipLength([{ name: 'x', kind: 'file', size: 1, modified: 0, method: 'deflate' }])).toThrow(
      /deflated/,
    );
  });
});
