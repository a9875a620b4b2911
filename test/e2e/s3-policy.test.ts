/**
 * An archive built in the browser lands on an `s3` storage policy: real Chromium with the
 * built extension, the sandbox's s3 policy, and a real S3 server (s3rver behind a
 * SigV4-checking front, tools/s3-server.ts) on its own origin. The archive is over the
 * 50 MiB under which it would go in one `PUT /file/content`, so it goes part by part to
 * presigned URLs. A storage origin the extension has no access to pauses the job with
 * "Allow uploads to …" in the popup; cancelling it then aborts the multipart upload.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CloudreveResumeState } from '../../lib/cloudreve/upload-resume';
import type { Sandbox } from '../../sandbox/server';
import type { ExtensionBrowser } from '../../tools/chromium';
import { send } from '../../tools/extension';
import { waitForJob } from '../../tools/job-waits';
import { startS3Server, type S3Server } from '../../tools/s3-server';
import { openPopup, taskRow } from '../helpers/popup-page';
import { startRig, type Rig } from '../helpers/rig';
import { pythonInspect, unzipTest } from '../integration/zip/helpers';

const USER = 'user@example.com';
const MIB = 1024 * 1024;
const PART = 16 * MIB;

let s3: S3Server;
let rig: Rig;
let sandbox: Sandbox;
let browser: ExtensionBrowser;
let page: Page;
let serverId: string;

beforeAll(async () => {
  s3 = await startS3Server();
  rig = await startRig({
    // Stored (already compressed), 52 MiB: four parts.
    extraFiles: { 'Videos/a.mp4': randomBytes(26 * MIB), 'Videos/b.mp4': randomBytes(26 * MIB) },
    config: {
      policy: {
        type: 's3',
        chunkSize: PART,
        chunkConcurrency: 2,
        maxEditSize: MIB,
        s3: { endpoint: s3.url, bucket: s3.bucket, ...s3.credentials },
      },
    },
  });
  ({ sandbox, browser, page } = rig);
  serverId = (await send(page, 'addServer', { url: sandbox.url })).id;
  expect((await send(page, 'login', { serverId, email: USER, password: 'user123' })).kind).toBe('signed-in');
});

afterAll(async () => {
  await rig?.close();
  await s3?.stop();
});

const archive = (name: string) =>
  send(page, 'startArchive', {
    serverId,
    sources: ['cloudreve://my/Videos'],
    name,
    destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
    mode: 'browser',
  });

it('uploads the archive part by part to the bucket, and Cloudreve holds a valid zip', async () => {
  // The rig grants http://127.0.0.1/*, which covers the bucket's loopback origin.
  const { jobId } = await archive('videos.zip');
  const job = await waitForJob(page, jobId, undefined, 150_000);
  expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { name: 'videos.zip' } });
  const session =
    job.kind === 'browser' ? (job.upload?.resume as CloudreveResumeState | undefined)?.session : undefined;
  expect(session?.provider?.policyType).toBe('s3');
  const size = job.kind === 'browser' ? job.archiveSize! : 0;
  expect(size).toBeGreaterThan(50 * MIB);
  expect(session?.done).toHaveLength(Math.ceil(size / PART));
  const zip = sandbox.pathOf(USER, 'videos.zip');
  expect(statSync(zip).size).toBe(size);
  await unzipTest(zip);
  const { bad, entries } = await pythonInspect(zip);
  expect(bad).toBeNull();
  expect(entries.filter((entry) => !entry.is_dir)).toHaveLength(2);
  // Every part went once; the multipart upload is completed, none is left open.
  const [counts] = [...s3.partPuts.values()];
  expect([...counts!.values()].every((count) => count === 1)).toBe(true);
  expect(await s3.openUploads()).toEqual([]);
}, 180_000);

it('pauses with "Allow uploads to <host>" for a storage origin it has no access to; cancel aborts the multipart upload', async () => {
  // Same server, other host name: the extension has no access to http://localhost:<port>.
  const endpoint = s3.url.replace('127.0.0.1', 'localhost');
  sandbox.config.policy.s3 = { ...sandbox.config.policy.s3!, endpoint };
  const { jobId } = await archive('paused.zip');
  const paused = await waitForJob(
    page,
    jobId,
    (job) => job.kind === 'browser' && job.awaitingAccess !== undefined,
    150_000,
  );
  expect(paused).toMatchObject({ kind: 'browser', phase: 'uploading', awaitingAccess: new URL(endpoint).origin });
  // The session exists (placeholder, multipart upload), but not one byte went to the bucket.
  expect(await s3.openUploads()).toHaveLength(1);

  const popup = await openPopup(browser);
  const row = taskRow(popup, 'paused.zip');
  await expect.poll(() => row.getByTestId('task-allow-storage').textContent()).toContain(new URL(endpoint).host);
  await expect.poll(() => row.getByTestId('action-allow-storage').isVisible()).toBe(true);

  await row.getByTestId('action-cancel').click();
  const cancelled = await waitForJob(page, jobId);
  expect(cancelled).toMatchObject({ kind: 'browser', phase: 'cancelled' });
  await expect.poll(() => s3.openUploads()).toEqual([]);
  expect(existsSync(sandbox.pathOf(USER, 'paused.zip'))).toBe(false);
  await popup.close();
}, 180_000);
