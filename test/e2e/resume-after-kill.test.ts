/**
 * A killed service worker resumes the same archive from its last checkpoint
 * (issue: "killing the service worker mid-job and restarting it completes the
 * same archive"). Files already checkpointed before the kill are made
 * unreadable afterwards: if the resumed job read them again they would be
 * skipped, so a complete zip proves it did not start over.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import type { ExtensionBrowser } from '../../tools/chromium';
import { startRig, type Rig } from '../helpers/rig';
import { send } from '../../tools/extension';
import { waitForJob } from '../../tools/job-waits';
import { pythonInspect, unzipTest } from '../integration/zip/helpers';

const USER = 'user@example.com';
const FILES = 200;
const SIZE = 128 * 1024;
const name = (i: number) => `bulk/file-${String(i).padStart(4, '0')}.bin`;
/**
 * For the upload test: 52 MiB of video (stored), uploaded in 4 MiB chunks.
 */
const UPLOAD_FILES = 2;
const UPLOAD_CHUNK = 4 * 1024 * 1024;

let rig: Rig;
let sandbox: Sandbox;
let browser: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  const extraFiles = Object.fromEntries([
    ...Array.from({ length: FILES }, (_, i) => [name(i), randomBytes(SIZE)]),
    ...Array.from({ length: UPLOAD_FILES }, (_, i) => [`upload/part-${i}.mp4`, randomBytes(26 * 1024 * 1024)]),
  ]);
  // Latency makes the job take ~15 s (files are read 8 at a time: lib/archive/zip-entries.ts),
  // long enough to kill it after its first 5 s checkpoint.
  rig = await startRig({ extraFiles, config: { faults: { latencyMs: 500 } } });
  ({ sandbox, browser, page } = rig);
});

/**
 * Signs in as the user without archive permission (connecting the sandbox once) and
 * archives the folder `cloudreve://my/<folder>` in the browser as `<folder>.zip` beside it.
 */
async function archiveInBrowser(folder: string): Promise<string> {
  const known = (await send(page, 'listServers')).find((server) => server.origin === sandbox.url);
  const serverId = known?.id ?? (await send(page, 'addServer', { url: sandbox.url })).id;
  await send(page, 'login', { serverId, email: USER, password: 'user123' });
  const { jobId } = await send(page, 'startArchive', {
    serverId,
    sources: [`cloudreve://my/${folder}`],
    name: `${folder}.zip`,
    destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
    mode: 'browser',
  });
  return jobId;
}

afterAll(async () => {
  await rig?.close();
});

it('completes the same archive after the service worker is killed mid-job', async () => {
  const jobId = await archiveInBrowser('bulk');

  const checkpointed = await waitForJob(page, jobId, (job) => job.kind === 'browser' && job.entriesDone > 1);
  const entriesDone = checkpointed.kind === 'browser' ? checkpointed.entriesDone : 0;
  expect(entriesDone).toBeLessThan(FILES);

  const before = await send(page, 'ping');
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');

  // Entry 0 is the folder; files 0 … entriesDone-2 are checkpointed. Make them unreadable from now on.
  const done = Array.from({ length: entriesDone - 1 }, (_, i) => name(i).split('/')[1]!.replace('.', '\\.'));
  sandbox.config.faults.failRequests.push({
    path: `/file/content/.*/(${done.join('|')})`,
    times: 10_000,
    httpStatus: 404,
  });

  // Any message wakes a new worker, which resumes persisted jobs on start.
  const job = await waitForJob(page, jobId, undefined, 120_000);
  // A different worker instance finished it.
  expect((await send(page, 'ping')).startedAt).not.toBe(before.startedAt);
  expect(job).toMatchObject({ kind: 'browser', phase: 'done', progress: { skipped: 0 } });

  const zip = sandbox.pathOf(USER, 'bulk.zip');
  await unzipTest(zip);
  const { bad, entries } = await pythonInspect(zip);
  expect(bad).toBeNull();
  const files = entries.filter((entry) => !entry.is_dir);
  expect(files).toHaveLength(FILES);
  expect(files.every((entry) => entry.size === SIZE)).toBe(true);
  expect(statSync(zip).size).toBe(job.kind === 'browser' ? job.result?.size : -1);
});

it('continues the same upload session after the service worker is killed mid-upload', async () => {
  Object.assign(sandbox.config.policy, { chunkSize: UPLOAD_CHUNK, chunkConcurrency: 1 });
  const jobId = await archiveInBrowser('upload');
  type Recorded = { session?: { id: string; done: number[] } };
  const recorded = (job: Awaited<ReturnType<typeof waitForJob>>) =>
    job.kind === 'browser' ? (job.upload?.resume as Recorded | undefined)?.session : undefined;
  const uploading = await waitForJob(page, jobId, (job) => (recorded(job)?.done.length ?? 0) >= 3, 120_000);
  const session = recorded(uploading)!;

  const before = await send(page, 'ping');
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  // Chunks acknowledged before the kill now fail: sending one again would fail the job.
  sandbox.config.faults.failRequests.push({
    path: `/file/upload/${session.id}/(${session.done.join('|')})$`,
    times: 10_000,
    httpStatus: 500,
  });

  const job = await waitForJob(page, jobId, undefined, 120_000);
  expect((await send(page, 'ping')).startedAt).not.toBe(before.startedAt);
  expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { name: 'upload.zip' } });
  // The same session was continued, not replaced, and it holds every chunk.
  expect(recorded(job)?.id).toBe(session.id);
  const total = Math.ceil((job.kind === 'browser' ? job.archiveSize! : 0) / UPLOAD_CHUNK);
  expect(recorded(job)?.done.length).toBe(total);

  const zip = sandbox.pathOf(USER, 'upload.zip');
  await unzipTest(zip);
  const { bad, entries } = await pythonInspect(zip);
  expect(bad).toBeNull();
  expect(entries.filter((entry) => !entry.is_dir)).toHaveLength(UPLOAD_FILES);
  // No second copy under a free name.
  expect(existsSync(sandbox.pathOf(USER, 'upload (1).zip'))).toBe(false);
}, 180_000);
