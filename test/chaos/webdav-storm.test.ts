/**
 * A job from a WebDAV server to the same server (rclone) behind a proxy that fails 30 %
 * of requests (HTTP 500, 502, 503, connections reset, bodies cut halfway): PROPFIND,
 * GET, PUT, MOVE and DELETE all meet failures. Expected outcome: the job finishes with a
 * correct archive, the destination folder holds that archive and nothing else (no
 * temporary file), the sources are untouched. Then the answer to the MOVE is lost after
 * rclone moved the file (its retry gets 412): same outcome, under the name chosen.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserJob } from '../../lib/jobs/types';
import { DAV_PASSWORD, DAV_USER, seedTree, startRclone, type DavServer } from '../../tools/dav-servers';
import { pseudoRandom } from '../integration/zip/helpers';
import { expectEveryFault, expectFinishedArchive } from './archive-checks';
import { quickRetry, runQueuedJob } from './engine';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy';

const FILES = 30;
const tree: Record<string, Uint8Array | null> = { 'Tree/big.bin': pseudoRandom(3_000_000, 7), Out: null, Moved: null };
for (let i = 0; i < FILES; i++)
  tree[`Tree/part-${String(i).padStart(2, '0')}.bin`] = pseudoRandom(20_000 + i * 1_000, i + 1);

let rclone: DavServer;
let proxy: FlakyProxy;
let quiet: FlakyProxy;
let loseMove = false;
const retry = quickRetry(2_000);

beforeAll(async () => {
  rclone = await startRclone();
  seedTree(rclone.dataDir, tree);
  proxy = await startFlakyProxy({ target: rclone.url, failureRate: 0.3, seed: 13, keepHost: true });
  quiet = await startFlakyProxy({
    target: rclone.url,
    failureRate: 0,
    keepHost: true,
    loseAnswer: (method) => method === 'MOVE' && loseMove && !(loseMove = false),
  });
});
afterAll(async () => {
  await quiet?.close();
  await proxy?.close();
  await rclone?.stop();
});

async function expectArchiveIn(job: BrowserJob, folder: string) {
  const sources = Object.keys(tree).filter((name) => name.startsWith('Tree/'));
  await expectFinishedArchive(job, path.join(rclone.dataDir, folder, job.result!.name), sources);
  // Nothing but the archive: no temporary file, no second copy.
  expect(await readdir(path.join(rclone.dataDir, folder))).toEqual([job.result!.name]);
  // The sources are untouched.
  for (const name of sources) expect((await readFile(path.join(rclone.dataDir, name))).equals(tree[name]!)).toBe(true);
}

it('a WebDAV job finishes while 30 % of requests fail with 500/502/503, resets and cut bodies', async () => {
  const job = await runQueuedJob({
    origin: proxy.url,
    webdav: { username: DAV_USER, password: DAV_PASSWORD },
    sources: ['Tree'],
    folderUri: 'Out',
    name: 'storm.zip',
    retry,
  });
  await expectArchiveIn(job, 'Out');
  expectEveryFault(proxy);
});

it('a lost answer to the MOVE (rclone moved the file, the retry finds it there) finishes under the chosen name', async () => {
  loseMove = true;
  const job = await runQueuedJob({
    origin: quiet.url,
    webdav: { username: DAV_USER, password: DAV_PASSWORD },
    sources: ['Tree'],
    folderUri: 'Moved',
    name: 'moved.zip',
    retry,
  });
  expect(loseMove).toBe(false); // the answer was dropped
  await expectArchiveIn(job, 'Moved');
  expect(job.result!.name).toBe('moved.zip');
});
