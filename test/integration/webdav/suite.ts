/**
 * The same WebDAV checks against every real server (one test file per server so
 * vitest runs them in parallel): awkward names, walk, ranged and resumed reads, no-clobber
 * store, wrong password, server down.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceEntry } from '@/lib/archive/types';
import { isAppError } from '@/lib/errors';
import { createDavClient, type DavClient } from '@/lib/webdav/client';
import { createDavDestination } from '@/lib/webdav/destination';
import { detectDav } from '@/lib/webdav/detect';
import { createDavSource } from '@/lib/webdav/source';
import { DAV_PASSWORD, DAV_USER, freePort, seedTree, type DavServer } from '../../../tools/dav-servers';

const AWKWARD = ['a b.txt', '100%.txt', 'x#y.txt', 'R&D.txt', 'a+b.txt', '中文.txt', '😀 emoji.txt', '%20literal.txt'];
const BIG = new Uint8Array(200_000).map((_, i) => (i * 7) % 251);

function tree(): Record<string, string | Uint8Array | null> {
  const files: Record<string, string | Uint8Array | null> = {
    'Top folder/empty': null,
    'Top folder/zero.bin': new Uint8Array(0),
    'Top folder/sub dir/big.bin': BIG,
    'Top folder/sub dir/深/deep #1.txt': 'deep',
    'single & file.txt': 'alone',
    'Out/report.zip': 'existing archive',
  };
  for (const name of AWKWARD) files[`Top folder/${name}`] = `content of ${name}`;
  return files;
}

async function collect(iterable: AsyncIterable<SourceEntry>): Promise<SourceEntry[]> {
  const entries: SourceEntry[] = [];
  for await (const entry of iterable) entries.push(entry);
  return entries;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? error.code : `non-AppError: ${String(error)}`;
  }
  return 'resolved';
}

/** Registers the shared WebDAV checks for one server kind. */
export function defineDavSuite(label: string, start: () => Promise<DavServer>): void {
  describe(`WebDAV on ${label}`, () => {
    let server: DavServer;
    let client: DavClient;
    const signal = new AbortController().signal;

    beforeAll(async () => {
      server = await start();
      seedTree(server.dataDir, tree());
      client = createDavClient({ url: server.url, username: DAV_USER, password: DAV_PASSWORD });
    });
    afterAll(async () => server?.stop());

    it('walks awkward names depth-first with sizes, folders before their contents', async () => {
      const source = createDavSource({ client, selection: ['Top folder', 'single & file.txt'] });
      const entries = await collect(source.list(signal));
      const byName = new Map(entries.map((e) => [e.name, e]));
      const expected = [
        'Top folder',
        'Top folder/empty',
        'Top folder/zero.bin',
        'Top folder/sub dir',
        'Top folder/sub dir/big.bin',
        'Top folder/sub dir/深',
        'Top folder/sub dir/深/deep #1.txt',
        'single & file.txt',
        ...AWKWARD.map((n) => `Top folder/${n}`),
      ];
      expect([...byName.keys()].sort()).toEqual([...expected].sort());
      expect(entries).toHaveLength(expected.length);
      for (const name of AWKWARD) {
        const entry = byName.get(`Top folder/${name}`);
        expect(entry, name).toMatchObject({ kind: 'file', size: Buffer.byteLength(`content of ${name}`) });
      }
      expect(byName.get('Top folder/empty')).toMatchObject({ kind: 'folder', size: 0 });
      expect(byName.get('Top folder/zero.bin')).toMatchObject({ kind: 'file', size: 0 });
      expect(byName.get('Top folder/sub dir/big.bin')).toMatchObject({ kind: 'file', size: BIG.length });
      expect(byName.get('single & file.txt')).toMatchObject({ kind: 'file', size: 5, ref: 'single & file.txt' });
      expect(byName.get('Top folder')?.modified).toBeGreaterThan(Date.UTC(2020, 0, 1));
      // Every entry comes after its parent folder, and a folder's subtree is contiguous.
      const index = new Map(entries.map((e, i) => [e.name, i]));
      for (const entry of entries) {
        const parent = entry.name.includes('/') ? entry.name.slice(0, entry.name.lastIndexOf('/')) : undefined;
        if (parent) expect(index.get(parent)!, entry.name).toBeLessThan(index.get(entry.name)!);
      }
      const sub = entries.map((e) => e.name.startsWith('Top folder/sub dir'));
      expect(sub.lastIndexOf(true) - sub.indexOf(true) + 1).toBe(4);
    });

    it('reads every awkward file, and a large one from an offset with Range', async () => {
      const source = createDavSource({ client, selection: ['Top folder'] });
      const entries = await collect(source.list(signal));
      for (const name of AWKWARD) {
        const entry = entries.find((e) => e.name === `Top folder/${name}`)!;
        const stream = await source.open(entry, 0, signal);
        expect(new TextDecoder().decode(await readAll(stream!)), name).toBe(`content of ${name}`);
      }
      const big = entries.find((e) => e.name.endsWith('big.bin'))!;
      const tail = await readAll((await source.open(big, 150_000, signal))!);
      // Buffer.equals: vitest's deep equality is slow on large arrays.
      expect(Buffer.from(tail).equals(BIG.subarray(150_000))).toBe(true);
      const zero = entries.find((e) => e.name.endsWith('zero.bin'))!;
      expect(await readAll((await source.open(zero, 0, signal))!)).toHaveLength(0);
    });

    it('resumes a broken read with Range and If-Range, and reads up to the end of a file', async () => {
      // The real server's answers, with the first GET's body broken after 50,000 bytes.
      const gets: { range: string | null; ifRange: string | null; status: number }[] = [];
      const breaking: typeof globalThis.fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method !== 'GET' || !response.body) return response;
        const headers = new Headers(init.headers);
        gets.push({ range: headers.get('Range'), ifRange: headers.get('If-Range'), status: response.status });
        if (gets.length > 1) return response;
        let sent = 0;
        const broken = new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            if (sent >= 50_000) return controller.error(new TypeError('terminated'));
            sent += chunk.byteLength;
            controller.enqueue(chunk);
          },
        });
        return new Response(response.body.pipeThrough(broken), response);
      };
      const resumable = createDavClient({
        url: server.url,
        username: DAV_USER,
        password: DAV_PASSWORD,
        fetch: breaking,
      });
      const source = createDavSource({ client: resumable, selection: ['Top folder'], retryDelays: [1] });
      const big = (await collect(source.list(signal))).find((e) => e.name.endsWith('big.bin'))!;
      expect(Buffer.from(await readAll((await source.open(big, 0, signal))!)).equals(BIG)).toBe(true);
      expect(gets).toHaveLength(2);
      expect(gets[1]!.range).toMatch(/^bytes=\d+-$/);
      // The last byte, and nothing at the end (a 416 from most servers, RFC 9110 §15.5.17).
      expect(await readAll((await source.open(big, BIG.length - 1, signal))!)).toEqual(BIG.subarray(-1));
      expect(await readAll((await source.open(big, BIG.length, signal))!)).toHaveLength(0);
    });

    it('returns null for a file that vanished after listing', async () => {
      const source = createDavSource({ client, selection: [] });
      const gone: SourceEntry = { name: 'gone.txt', kind: 'file', size: 3, modified: 0, ref: 'Top folder/gone.txt' };
      expect(await source.open(gone, 0, signal)).toBeNull();
    });

    it('stores next to an existing file of the same name as "name (1).zip", leaving no temporary file', async () => {
      const destination = createDavDestination({ client, folder: 'Out' });
      const name = await destination.freeName('report.zip', signal);
      expect(name).toBe('report (1).zip');
      const payload = new Blob([BIG, 'tail']);
      const progress: number[] = [];
      // Ask for the taken name directly: the MOVE with Overwrite: F must refuse and pick the next free one.
      const stored = await destination.store(payload, 'report.zip', {
        signal,
        onProgress: (p) => progress.push(p.sent),
      });
      expect(stored).toEqual({ name: 'report (1).zip', size: payload.size });
      expect(progress.at(-1)).toBe(payload.size);
      const out = path.join(server.dataDir, 'Out');
      expect(readFileSync(path.join(out, 'report.zip'), 'utf8')).toBe('existing archive');
      const written = readFileSync(path.join(out, 'report (1).zip'));
      expect(written.equals(new Uint8Array(await payload.arrayBuffer()))).toBe(true);
      expect(readdirSync(out).sort()).toEqual(['report (1).zip', 'report.zip']);
      expect(await destination.freeName('report.zip', signal)).toBe('report (2).zip');
    });

    it('stores under an awkward name in an awkward folder', async () => {
      const destination = createDavDestination({ client, folder: 'Top folder/sub dir/深' });
      const stored = await destination.store(new Blob(['zip bytes']), '100% R&D #1 中文.zip', { signal });
      expect(stored.name).toBe('100% R&D #1 中文.zip');
      expect(readFileSync(path.join(server.dataDir, 'Top folder/sub dir/深', stored.name), 'utf8')).toBe('zip bytes');
    });

    it('detects a generic WebDAV server and rejects a wrong password', async () => {
      expect(await detectDav(server.url, { username: DAV_USER, password: DAV_PASSWORD })).toEqual({
        kind: 'webdav',
        flavor: 'generic',
      });
      expect(await codeOf(detectDav(server.url, { username: DAV_USER, password: 'wrong' }))).toBe('wrong-credentials');
      const wrong = createDavClient({ url: server.url, username: DAV_USER, password: 'wrong' });
      expect(await codeOf(collect(createDavSource({ client: wrong, selection: ['Top folder'] }).list(signal)))).toBe(
        'wrong-credentials',
      );
    });

    it('reports a server that is down as a network error', async () => {
      const url = `http://127.0.0.1:${await freePort()}/`;
      const down = createDavClient({ url, username: DAV_USER, password: DAV_PASSWORD });
      expect(await codeOf(down.stat('x', signal))).toBe('network');
      expect(await codeOf(detectDav(url, { username: DAV_USER, password: DAV_PASSWORD }))).toBe('network');
    });
  });
}
