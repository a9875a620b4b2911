import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../../lib/zip/crc32';
import type { EntryCheckpoint } from '../../../lib/zip/entry';
import { predictZipLength } from '../../../lib/zip/length';
import { createZipWriter } from '../../../lib/zip/writer';
import {
  createFileSink,
  pseudoRandom,
  pythonInspect,
  repeat,
  unzipTest,
  zipinfoCount,
  zipinfoVerbose,
} from './helpers';

const MiB = 1024 * 1024;
const BIG = 4 * 1024 * MiB + 5 * MiB;
// One 1 MiB block yielded again and again: the entry is streamed, never held in memory.
const BLOCK = pseudoRandom(MiB, 42);
const MODIFIED = Date.UTC(2023, 0, 2, 3, 4, 6);

describe('ZIP64: one entry over 4 GiB and an offset past 4 GiB', () => {
  let dir: string;
  let path: string;
  let length: number;
  let checkpoints: EntryCheckpoint[];
  let bigCrc = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zip64-'));
    path = join(dir, 'big.zip');
    for (let i = 0; i < BIG / MiB; i++) bigCrc = crc32(BLOCK, bigCrc);
    const sink = await createFileSink(path);
    const writer = createZipWriter({ sink });
    await writer.addEntry({ name: 'before.txt', kind: 'file', modified: MODIFIED, method: 'store', size: 6 }, [
      new TextEncoder().encode('before'),
    ]);
    // Streamed without a size: the local header must announce ZIP64 up front.
    await writer.addEntry(
      { name: 'big.bin', kind: 'file', modified: MODIFIED, method: 'store' },
      repeat(BLOCK, BIG / MiB),
    );
    await writer.addEntry({ name: 'after.txt', kind: 'file', modified: MODIFIED, method: 'store', size: 5 }, [
      new TextEncoder().encode('after'),
    ]);
    await writer.addEntry({ name: 'after-folder', kind: 'folder', modified: MODIFIED, method: 'store' });
    checkpoints = writer.entries;
    length = (await writer.finish()).length;
    await sink.close();
  }, 300_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('checkpoints describe a ZIP64 entry and offsets past 4 GiB', async () => {
    expect(checkpoints[1]).toMatchObject({ zip64: true, size: BIG, compressedSize: BIG, crc: bigCrc });
    expect(checkpoints[2]!.offset).toBeGreaterThan(0xffffffff);
    expect(checkpoints[2]!.zip64).toBe(false);
    expect((await stat(path)).size).toBe(length);
  });

  it('predictZipLength equals the real length', () => {
    const sizes = [6, BIG, 5, 0];
    const predicted = predictZipLength(
      checkpoints.map((c, i) => ({ name: c.requestedName, kind: c.kind, size: sizes[i]!, modified: c.modified })),
    );
    expect(predicted).toBe(length);
  });

  it('passes unzip -t (CRC of all 4 GiB + 5 MiB checked)', async () => {
    const out = await unzipTest(path);
    expect(out).toMatch(/testing: big\.bin\s+OK/);
    expect(out).toMatch(/No errors detected/);
  }, 300_000);

  it('zipinfo sees 4 entries and the 64-bit size', async () => {
    expect(await zipinfoCount(path)).toBe(4);
    expect(await zipinfoVerbose(path)).toContain(`uncompressed size:                              ${BIG} bytes`);
  });

  it('Python zipfile: testzip clean, sizes and offsets exact, small entries after 4 GiB readable', async () => {
    const { bad, entries, sha256 } = await pythonInspect(path, ['after.txt']);
    expect(bad).toBeNull();
    expect(entries.map((e) => [e.name, e.size, e.compressed, e.offset])).toEqual(
      checkpoints.map((c) => [c.name, c.size, c.compressedSize, c.offset]),
    );
    expect(entries[1]!.crc).toBe(bigCrc);
    expect(entries.map((e) => e.extract_version)).toEqual([10, 45, 45, 45]);
    expect(sha256['after.txt']).toBe(createHash('sha256').update('after').digest('hex'));
  }, 300_000);
});
