import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictZipLength } from '../../../lib/zip/length';
import { createZipWriter } from '../../../lib/zip/writer';
import { createFileSink, pythonInspect, unzipTest, zipinfoCount } from './helpers';

const COUNT = 70_000;
const encoder = new TextEncoder();
const entryOf = (i: number) => ({
  name: i % 1000 === 0 ? `d${i / 1000}` : `d${Math.floor(i / 1000)}/file ${i}.txt`,
  kind: i % 1000 === 0 ? ('folder' as const) : ('file' as const),
  modified: Date.UTC(2022, 4, 5),
  method: 'store' as const,
  content: i % 1000 === 0 ? undefined : encoder.encode(`entry ${i}\n`),
});

describe('more than 65,535 entries', () => {
  let dir: string;
  let path: string;
  let length: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zip-many-'));
    path = join(dir, 'many.zip');
    const sink = await createFileSink(path);
    const writer = createZipWriter({ sink });
    for (let i = 0; i < COUNT; i++) {
      const { content, ...entry } = entryOf(i);
      await writer.addEntry({ ...entry, size: content?.length ?? 0 }, content && [content]);
    }
    length = (await writer.finish()).length;
    await sink.close();
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('zipinfo reports 70000 entries (read from the ZIP64 end record)', async () => {
    expect(await zipinfoCount(path)).toBe(COUNT);
  });

  it('passes unzip -t', async () => {
    const out = await unzipTest(path);
    expect(out).toMatch(/No errors detected/);
    expect(out.match(/ OK$/gm)?.length).toBe(COUNT);
  });

  it('Python zipfile lists every entry in order and testzip is clean', async () => {
    const { bad, entries } = await pythonInspect(path);
    expect(bad).toBeNull();
    expect(entries.length).toBe(COUNT);
    expect(entries[0]!.name).toBe('d0/');
    expect(entries[COUNT - 1]!.name).toBe(`d69/file ${COUNT - 1}.txt`);
  });

  it('predictZipLength equals the file length', async () => {
    const predicted = predictZipLength(
      Array.from({ length: COUNT }, (_, i) => {
        const { content, ...entry } = entryOf(i);
        return { ...entry, size: content?.length ?? 0 };
      }),
    );
    expect(predicted).toBe(length);
    expect((await stat(path)).size).toBe(length);
  });
});
