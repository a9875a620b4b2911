import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictZipLength } from '../../../lib/zip/length';
import { createZipWriter, type ZipEntryInput } from '../../../lib/zip/writer';
import { createFileSink, pseudoRandom, pythonInspect, unzipTest, zipinfoCount, zipinfoVerbose } from './helpers';

const text = (s: string) => new TextEncoder().encode(s);
const local = (...parts: [number, number, number, number?, number?, number?]) =>
  new Date(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0).getTime();
const MID = local(2021, 7, 4, 10, 20, 30);
const LOREM = text('Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(20_000));
const RANDOM = pseudoRandom(300_000, 9);

/** [entry, data, expected final name, expected DOS date_time as Python reports it] */
const CASES: [ZipEntryInput, Uint8Array | undefined, string, number[]][] = [
  [
    { name: 'empty folder', kind: 'folder', modified: MID, method: 'store' },
    undefined,
    'empty folder/',
    [2021, 7, 4, 10, 20, 30],
  ],
  [
    { name: 'spaces in name.txt', kind: 'file', modified: MID, method: 'deflate' },
    LOREM,
    'spaces in name.txt',
    [2021, 7, 4, 10, 20, 30],
  ],
  [
    { name: '100% #1 + plus&.txt', kind: 'file', modified: MID, method: 'store', size: 5 },
    text('hello'),
    '100% #1 + plus&.txt',
    [2021, 7, 4, 10, 20, 30],
  ],
  [
    { name: '中文目录/文件 ä.txt', kind: 'file', modified: MID, method: 'deflate' },
    text('你好，世界'),
    '中文目录/文件 ä.txt',
    [2021, 7, 4, 10, 20, 30],
  ],
  [
    { name: 'emoji 😀/🎉.bin', kind: 'file', modified: MID, method: 'store' },
    RANDOM,
    'emoji 😀/🎉.bin',
    [2021, 7, 4, 10, 20, 30],
  ],
  [
    { name: 'zero-deflate.txt', kind: 'file', modified: MID, method: 'deflate', size: 0 },
    new Uint8Array(0),
    'zero-deflate.txt',
    [2021, 7, 4, 10, 20, 30],
  ],
  [
    { name: 'zero-store.bin', kind: 'file', modified: MID, method: 'store' },
    undefined,
    'zero-store.bin',
    [2021, 7, 4, 10, 20, 30],
  ],
  [
    { name: 'old/1970.txt', kind: 'file', modified: 0, method: 'store' },
    text('epoch'),
    'old/1970.txt',
    [1980, 1, 1, 0, 0, 0],
  ],
  [
    { name: 'old/1850.txt', kind: 'file', modified: local(1850, 1, 1), method: 'store' },
    text('old'),
    'old/1850.txt',
    [1980, 1, 1, 0, 0, 0],
  ],
  [
    { name: 'future/2107.txt', kind: 'file', modified: local(2107, 12, 31, 23, 59, 58), method: 'store' },
    text('x'),
    'future/2107.txt',
    [2107, 12, 31, 23, 59, 58],
  ],
  [
    { name: 'future/2200.txt', kind: 'file', modified: local(2200, 6, 1), method: 'deflate' },
    text('y'),
    'future/2200.txt',
    [2107, 12, 31, 23, 59, 58],
  ],
  [
    { name: 'future/2050.txt', kind: 'file', modified: local(2050, 3, 4, 5, 6, 8), method: 'store' },
    text('z'),
    'future/2050.txt',
    [2050, 3, 4, 5, 6, 8],
  ],
  [{ name: 'dup.txt', kind: 'file', modified: MID, method: 'store' }, text('1'), 'dup.txt', [2021, 7, 4, 10, 20, 30]],
  [
    { name: 'DUP.txt', kind: 'file', modified: MID, method: 'store' },
    text('2'),
    // A case variant is another file on the server: kept as is.
    'DUP.txt',
    [2021, 7, 4, 10, 20, 30],
  ],
  [
    { name: '../../escape.txt', kind: 'file', modified: MID, method: 'store' },
    text('e'),
    'escape.txt',
    [2021, 7, 4, 10, 20, 30],
  ],
  [
    { name: 'C:\\win\\path.txt', kind: 'file', modified: MID, method: 'deflate' },
    text('w'),
    // Drive letter removed, backslashes never split a name (lib/zip/names.ts).
    '_win_path.txt',
    [2021, 7, 4, 10, 20, 30],
  ],
  [
    { name: 'nfd-cafe\u0301.txt', kind: 'file', modified: MID, method: 'store' },
    text('c'),
    // Byte for byte: NFD stays NFD.
    'nfd-cafe\u0301.txt',
    [2021, 7, 4, 10, 20, 30],
  ],
];

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('zip read by independent readers', () => {
  let dir: string;
  let path: string;
  let length: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zip-readers-'));
    path = join(dir, 'awkward.zip');
    const sink = await createFileSink(path);
    const writer = createZipWriter({ sink });
    for (const [entry, data] of CASES) {
      async function* once() {
        if (data) yield data;
      }
      await writer.addEntry(entry, entry.kind === 'file' ? once() : undefined);
    }
    length = (await writer.finish()).length;
    await sink.close();
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has the length the writer reported', async () => {
    expect((await stat(path)).size).toBe(length);
  });

  it('passes unzip -t', async () => {
    expect(await unzipTest(path)).toMatch(/No errors detected/);
  });

  it('zipinfo counts every entry from the end record', async () => {
    expect(await zipinfoCount(path)).toBe(CASES.length);
    expect(await zipinfoVerbose(path)).toMatch(/required to extract:\s+1\.0/);
  });

  it('version needed is 4.5 only where ZIP64 is used (files of unknown size), else 1.0 store / 2.0 deflate and folders', async () => {
    const { entries } = await pythonInspect(path);
    CASES.forEach(([entry, , name], i) => {
      const expected =
        entry.kind === 'file' && entry.size === undefined
          ? 45
          : entry.kind === 'folder' || entry.method === 'deflate'
            ? 20
            : 10;
      expect(entries[i]!.extract_version, name).toBe(expected);
    });
  });

  it('Python zipfile: testzip clean; names, sizes, methods and DOS dates as intended', async () => {
    const readNames = CASES.filter(([e]) => e.kind === 'file').map(([, , name]) => name);
    const result = await pythonInspect(path, readNames);
    expect(result.bad).toBeNull();
    expect(result.entries.map((e) => e.name)).toEqual(CASES.map(([, , name]) => name));
    CASES.forEach(([entry, data, name, dateTime], i) => {
      const found = result.entries[i]!;
      expect(found.date_time, name).toEqual(dateTime);
      expect(found.is_dir, name).toBe(entry.kind === 'folder');
      expect(found.size, name).toBe(data?.length ?? 0);
      if (entry.kind === 'file') {
        expect(found.method, name).toBe(entry.method === 'deflate' ? 8 : 0);
        expect(result.sha256[name], name).toBe(sha256(data ?? new Uint8Array(0)));
      }
    });
    expect(result.entries[1]!.compressed).toBeLessThan(LOREM.length / 20);
  });

  it('unzip extracts the files with their content and UT mtime', async () => {
    const out = join(dir, 'extracted');
    await promisify(execFile)('unzip', ['-q', path, '-d', out]);
    expect(await readFile(join(out, '中文目录/文件 ä.txt'), 'utf8')).toBe('你好，世界');
    expect((await stat(join(out, 'empty folder'))).isDirectory()).toBe(true);
    expect((await stat(join(out, 'spaces in name.txt'))).mtimeMs).toBe(MID);
    expect(await readFile(join(out, 'DUP.txt'), 'utf8')).toBe('2');
  });

  it('predictZipLength matches an all-store archive of the same entries', async () => {
    const entries = CASES.map(([entry, data]) => ({ ...entry, method: 'store' as const, size: data?.length ?? 0 }));
    const storePath = join(dir, 'store.zip');
    const sink = await createFileSink(storePath);
    const writer = createZipWriter({ sink });
    for (const [entry, data] of CASES) {
      await writer.addEntry({ ...entry, method: 'store', size: data?.length ?? 0 }, data ? [data] : undefined);
    }
    const { length: actual } = await writer.finish();
    await sink.close();
    expect(predictZipLength(entries)).toBe(actual);
    expect(await unzipTest(storePath)).toMatch(/No errors detected/);
  });
});
