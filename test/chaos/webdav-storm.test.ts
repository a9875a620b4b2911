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
import { JOB_RETRY } from '../../lib/net/retry-policy';
import { DAV_PASSWORD, DAV_USER, seedTree, startRclone, type DavServer } from '../../tools/dav-servers';
import { pseudoRandom, unzipTest } from '../integration/zip/helpers';
import { runQueuedJob } from './engine';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy';

const FILES = 30;
const tree: Record<string, Uint8Array | null> = { 'Tree/big.bin': pseudoRandom(3_000_000, 7), Out: null, Moved: null };
for (let i = 0; i < FILES; i++)
  tree[`Tree/part-${String(i).padStart(2, '0')}.bin`] = pseudoRandom(20_000 + i * 1_000, i + 1);

let rclone: DavServer;
let proxy: FlakyProxy;
let quiet: FlakyProxy;
let loseMove = false;
const retry = { ...JOB_RETRY, baseDelayMs: 50, maxDelayMs: 2_000 };

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
  expect(job.error).toBeUndefined();
  expect(job.phase).toBe('done');
  // Nothing but the archive: no temporary file, no second copy.
  expect(await readdir(path.join(rclone.dataDir, folder))).toEqual([job.result!.name]);
  const archive = path.join(rclone.dataDir, folder, job.result!.name);
  expect((await readFile(archive)).length).toBe(job.archiveSize);
  const report = await unzipTest(archive);
  expect(report).toContain('No errors detected');
  for (const name of Object.keys(tree).filter((name) => name.startsWith('Tree/'))) {
    expect(report).toContain(name);
    expect((await readFile(path.join(rclone.dataDir, name))).equals(tree[name]!)).toBe(true);
  }
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
  for (const fault of ['500', '502', '503', 'reset', 'cut-body'] as const)
    expect(proxy.counts[fault]).toBeGreaterThan(0);
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
