/**
 * Answers lost on the way back after the server acted (a connection reset between the
 * server and the browser), for the two upload requests whose retry meets their own effect:
 *
 * - the claim of the name (`PUT /file/upload`): the server created the session and its
 *   placeholder, the retry gets 40004. Expected outcome: the job finishes under the next
 *   free name, the placeholder (which nothing shows to be ours) is left alone, not
 *   overwritten nor deleted, and the job names it so the user is told.
 * - the last chunk of a fresh session: the server completed the file, the retry gets 40011.
 *   Expected outcome: the file at the name is judged ours (our session held the name until
 *   it completed) and the job finishes under the name it chose, nothing else in the folder.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserJob } from '../../lib/jobs/types';
import type { Sandbox } from '../../sandbox/server';
import { pseudoRandom } from '../integration/zip/helpers';
import { expectFinishedArchive } from './archive-checks';
import { EMAIL, listing, quickRetry, runQueuedJob, startSignedInSandbox, type signIn } from './engine';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy';

let sb: Sandbox;
let proxy: FlakyProxy;
let tokens: Awaited<ReturnType<typeof signIn>>;
/** Which answer the proxy drops next; each test sets its own. */
let loseAnswer: ((method: string, path: string) => boolean) | undefined;
const retry = quickRetry(1_000);
const CHUNK_PREFIX = '/api/v4/file/upload/';

beforeAll(async () => {
  ({ sb, tokens } = await startSignedInSandbox({
    // Several chunks, one at a time, so "the last chunk" is the one that completes the file.
    config: { policy: { chunkSize: 64 * 1024, chunkConcurrency: 1 } },
    extraFiles: { 'Lost/a.bin': pseudoRandom(200_000, 1), 'Lost/b.bin': pseudoRandom(90_000, 2) },
  }));
  proxy = await startFlakyProxy({
    target: sb.url,
    failureRate: 0,
    loseAnswer: (method, path) => loseAnswer?.(method, path) ?? false,
  });
  sb.config.siteUrl = proxy.url;
});
afterAll(async () => {
  await proxy?.close();
  await sb?.stop();
});

async function expectArchive(job: BrowserJob, folder: string) {
  await expectFinishedArchive(job, sb.pathOf(EMAIL, `${folder}/${job.result!.name}`), ['Lost/a.bin']);
}

it('a lost answer to the claim of the name leaves that placeholder alone and says so', async () => {
  let lost = 0;
  loseAnswer = (method, path) => method === 'PUT' && path === '/api/v4/file/upload' && lost++ === 0;
  const job = await runQueuedJob({
    origin: proxy.url,
    tokens,
    sources: ['cloudreve://my/Lost'],
    folderUri: 'cloudreve://my/ClaimLost',
    name: 'claim.zip',
    retry,
  });
  expect(lost).toBeGreaterThan(1); // the answer was dropped and the claim sent again
  await expectArchive(job, 'ClaimLost');
  expect(job.result!.name).toBe('claim (1).zip');
  // The placeholder the lost attempt made is still there, empty: never deleted without proof.
  expect(await listing(sb, 'ClaimLost')).toEqual(['claim (1).zip', 'claim.zip']);
  expect((await readFile(sb.pathOf(EMAIL, 'ClaimLost/claim.zip'))).length).toBe(0);
  // ...and the job tells the user about it.
  expect(job.placeholdersLeft).toEqual(['claim.zip']);
});

it('a lost answer to the last chunk (the server completed the file) is judged by the file at the name', async () => {
  let dropped = 0;
  loseAnswer = (method, path) => {
    if (method !== 'POST' || !path.startsWith(CHUNK_PREFIX) || dropped > 0) return false;
    // The proxy asks once the server answered: a session gone by then completed with this chunk.
    const session = decodeURIComponent(path.slice(CHUNK_PREFIX.length).split('/')[0]!);
    if (sb.state.uploads.has(session)) return false;
    dropped++;
    return true;
  };
  const job = await runQueuedJob({
    origin: proxy.url,
    tokens,
    sources: ['cloudreve://my/Lost'],
    folderUri: 'cloudreve://my/LastLost',
    name: 'last.zip',
    retry,
  });
  expect(dropped).toBe(1);
  await expectArchive(job, 'LastLost');
  expect(job.result!.name).toBe('last.zip');
  expect(await listing(sb, 'LastLost')).toEqual(['last.zip']);
  expect(job.placeholdersLeft).toBeUndefined();
});
