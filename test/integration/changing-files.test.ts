/**
 * Files that change on a real WebDAV server while the engine reads them. The
 * transport cuts a download after some bytes (a flaky network) and the file is
 * rewritten on disk before the resume: the resume carries `If-Range`, the server
 * answers with the new version, and the engine must read that version again
 * from its start (never a mix of old and new bytes), or skip the file as
 * "changed while being archived" when it changes on every read.
 */
import 'fake-indexeddb/auto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileDestination } from '../../cli/file-destination';
import { runBrowserArchive } from '../../lib/jobs/browser-archive';
import { createJobStore } from '../../lib/jobs/store';
import { newBrowserJob } from '../../lib/jobs/testing/browser-job';
import { createMemorySpool } from '../../lib/spool/testing/memory-spool';
import { createDavClient } from '../../lib/webdav/client';
import { createDavSource } from '../../lib/webdav/source';
import { DAV_PASSWORD, DAV_USER, seedTree, startApache, startNginx, type DavServer } from '../../tools/dav-servers';
import { pseudoRandom, pythonInspect, sevenZipTest, unzipTest } from './zip/helpers';

const MiB = 1024 * 1024;
/** Stored (.jpg) and over the read-ahead size: streamed through the writer. */
const BIG_OLD = pseudoRandom(5 * MiB, 1);
const BIG_NEW = pseudoRandom(6 * MiB, 2);
const SMALL_OLD = pseudoRandom(300_000, 3);
const SMALL_NEW = pseudoRandom(100_000, 4);

const sha = async (bytes: Uint8Array) =>
  Buffer.from(await crypto.subtle.digest('SHA-256', bytes.slice())).toString('hex');

/**
 * fetch that cuts the body of the first `cuts` GETs of `file` after `after` bytes
 * and, at that moment, lets `change` rewrite the file on the server's disk.
 */
function cuttingFetch(file: string, after: number, cuts: number, change: (cut: number) => void): typeof fetch {
  let done = 0;
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = decodeURIComponent(new URL(String(input)).pathname);
    if ((init?.method ?? 'GET') !== 'GET' || !url.endsWith(`/${file}`) || done >= cuts || !response.body)
      return response;
    const cut = ++done;
    const reader = response.body.getReader();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done: ended, value } = await reader.read();
        if (ended) return controller.close();
        if (sent + value.length > after) {
          controller.enqueue(value.subarray(0, after - sent));
          await reader.cancel();
          change(cut);
          return controller.error(new TypeError('terminated'));
        }
        sent += value.length;
        controller.enqueue(value);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

describe.each([
  ['Apache', () => startApache()],
  ['nginx', startNginx],
])('a file that changes while it is read, on %s', (_label, start) => {
  let server: DavServer;
  let out: string;
  let jobs = 0;
  beforeAll(async () => {
    server = await start();
    out = await mkdtemp(path.join(tmpdir(), 'changing-files-'));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(out, { recursive: true, force: true });
  });

  async function archive(folder: string, fetcher: typeof fetch) {
    const client = createDavClient({ url: server.url, username: DAV_USER, password: DAV_PASSWORD, fetch: fetcher });
    const id = `changing-${jobs++}`;
    const job = await runBrowserArchive(newBrowserJob(id, { name: `${id}.zip`, destination: { kind: 'download' } }), {
      store: createJobStore(id),
      spool: createMemorySpool(),
      source: createDavSource({ client, selection: [folder], retryDelays: [10, 10, 10] }),
      destination: createFileDestination(out),
      signal: new AbortController().signal,
    });
    expect(job.error).toBeUndefined();
    const zip = path.join(out, job.result!.name);
    await unzipTest(zip);
    await sevenZipTest(zip);
    return { job, zip };
  }

  it.each([
    ['grows (streamed)', 'grow.jpg', BIG_OLD, BIG_NEW, 2 * MiB],
    ['shrinks (streamed)', 'shrink.jpg', BIG_OLD, SMALL_NEW, 2 * MiB],
    ['grows (read ahead)', 'grow.txt', SMALL_OLD, BIG_NEW, 100_000],
    ['shrinks (read ahead)', 'shrink.txt', SMALL_OLD, SMALL_NEW, 200_000],
  ])('is read again from its start when it %s', async (_case, name, before, after, cutAt) => {
    const folder = `once-${name}`;
    seedTree(server.dataDir, { [`${folder}/${name}`]: before, [`${folder}/z.txt`]: 'after it' });
    const onDisk = path.join(server.dataDir, folder, name);
    const { job, zip } = await archive(
      folder,
      cuttingFetch(name, cutAt, 1, () => writeFileSync(onDisk, after)),
    );
    expect(job.unreadable).toEqual([]);
    const { bad, entries, sha256 } = await pythonInspect(zip, [`${folder}/${name}`]);
    expect(bad).toBeNull();
    expect(entries.map((entry) => entry.name)).toEqual([`${folder}/`, `${folder}/${name}`, `${folder}/z.txt`]);
    // The new version whole: never the old bytes up to the cut and new ones after it.
    expect(entries[1]!.size).toBe(after.length);
    expect(sha256[`${folder}/${name}`]).toBe(await sha(after));
  });

  it('is skipped and reported as "changed while being archived" when it changes on every read', async () => {
    const folder = 'busy';
    seedTree(server.dataDir, { [`${folder}/log.jpg`]: BIG_OLD, [`${folder}/z.txt`]: 'after it' });
    const onDisk = path.join(server.dataDir, folder, 'log.jpg');
    const { job, zip } = await archive(
      folder,
      cuttingFetch('log.jpg', MiB, Infinity, (cut) => appendFileSync(onDisk, pseudoRandom(1024, cut))),
    );
    expect(job.unreadable).toEqual([
      {
        path: 'busy/log.jpg',
        kind: 'file',
        code: 'source-changed',
        reason: expect.stringMatching(/^"busy\/log\.jpg" changed while being archived: .*\d+ bytes/),
      },
    ]);
    const { entries } = await pythonInspect(zip);
    expect(entries.map((entry) => entry.name)).toEqual(['busy/', 'busy/z.txt']);
  });
});
