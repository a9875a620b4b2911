/**
 * An archive built in the browser lands on an `s3` storage policy: real Chromium with the
 * built extension, the sandbox's s3 policy, and a real S3 server (s3rver behind a
 * SigV4-checking front, tools/s3-server.ts) on its own origin. The archive is over the
 * 1 MiB under which it would go in one `PUT /file/content`, so it goes part by part to
 * presigned URLs. Covered: the plain upload; a service worker killed mid-upload that
 * resumes on the same multipart upload without sending an acknowledged part again; a
 * cancel (mid-upload, and while waiting for access) that leaves no multipart upload, no
 * Cloudreve session and no placeholder; a storage origin the extension has no access to,
 * which pauses the job with "Allow uploads to …" until a real click on Allow in the popup
 * (or the options page) grants exactly that origin, and the job goes on from where it stopped.
 * The bucket never sees a credential header.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Job } from '../../lib/jobs/types';
import type { CloudreveResumeState } from '../../lib/cloudreve/upload-resume';
import type { Sandbox } from '../../sandbox/server';
import type { ExtensionBrowser } from '../../tools/chromium';
import { send } from '../../tools/extension';
import { waitForJob } from '../../tools/job-waits';
import { startS3Server, type S3Server } from '../../tools/s3-server';
import { openOptions, openPopup, taskRow } from '../helpers/popup-page';
import { startRig, type Rig } from '../helpers/rig';
import { MIB, PART, s3PolicySandbox, videosArchive } from '../helpers/s3-policy';
import { pythonInspect, unzipTest } from '../integration/zip/helpers';

const USER = 'user@example.com';

let s3: S3Server;
let rig: Rig;
let sandbox: Sandbox;
let browser: ExtensionBrowser;
let page: Page;
let serverId: string;
/** The bucket on a host name the extension has no access to (same server; the rig grants 127.0.0.1). */
let otherEndpoint: string;

beforeAll(async () => {
  s3 = await startS3Server();
  otherEndpoint = s3.url.replace('127.0.0.1', 'localhost');
  rig = await startRig(s3PolicySandbox(s3));
  ({ sandbox, browser, page } = rig);
  serverId = (await send(page, 'addServer', { url: sandbox.url })).id;
  expect((await send(page, 'login', { serverId, email: USER, password: 'user123' })).kind).toBe('signed-in');
});

afterAll(async () => {
  await rig?.close();
  await s3?.stop();
});

const useEndpoint = (endpoint: string) => {
  sandbox.config.policy.s3 = { ...sandbox.config.policy.s3!, endpoint };
};

async function archive(name: string): Promise<string> {
  return (await send(page, 'startArchive', videosArchive(serverId, name))).jobId;
}

const sessionOf = (job: Job) =>
  job.kind === 'browser' ? (job.upload?.resume as CloudreveResumeState | undefined)?.session : undefined;

/** The upload id of the one multipart upload opened since `known` was taken. */
function newUploadId(known: Set<string>): string {
  const fresh = [...s3.partPuts.keys()].filter((id) => !known.has(id));
  expect(fresh).toHaveLength(1);
  return fresh[0]!;
}

/** Checks the stored archive with two independent readers; answers its SHA-256. */
async function checkArchive(name: string, size: number): Promise<string> {
  const zip = sandbox.pathOf(USER, name);
  expect(statSync(zip).size).toBe(size);
  await unzipTest(zip);
  const { bad, entries } = await pythonInspect(zip);
  expect(bad).toBeNull();
  expect(entries.filter((entry) => !entry.is_dir).map((entry) => entry.size)).toEqual([26 * MIB, 26 * MIB]);
  return createHash('sha256').update(readFileSync(zip)).digest('hex');
}

/** Nothing of the upload is left: no multipart upload, no Cloudreve session, no placeholder. */
async function expectNothingLeft(name: string) {
  await expect.poll(() => s3.openUploads()).toEqual([]);
  expect(sandbox.state.uploads.size).toBe(0);
  expect(existsSync(sandbox.pathOf(USER, name))).toBe(false);
}

/** The host patterns the extension holds right now. */
const grantedOrigins = async () =>
  (await browser.worker.evaluate(() => (globalThis as unknown as ChromeApi).chrome.permissions.getAll())).origins ?? [];

type ChromeApi = {
  chrome: {
    permissions: {
      getAll(): Promise<{ origins?: string[] }>;
      remove(permissions: { origins: string[] }): Promise<boolean>;
      request(permissions: { origins: string[] }): Promise<boolean>;
    };
  };
};

/**
 * Records the arguments of every `permissions.request` the page makes (the call itself goes
 * on unchanged, inside the click that made it).
 */
async function recordPermissionRequests(extensionPage: Page) {
  await extensionPage.evaluate(() => {
    const permissions = (globalThis as unknown as ChromeApi).chrome.permissions;
    const original = permissions.request.bind(permissions);
    const seen: unknown[] = [];
    Object.assign(globalThis, { requestedPermissions: seen });
    permissions.request = (wanted) => (seen.push(wanted), original(wanted));
  });
  return () =>
    extensionPage.evaluate(() => (globalThis as unknown as { requestedPermissions: unknown[] }).requestedPermissions);
}

/**
 * Headless Chromium cannot click the prompt `permissions.request` shows for a host the user never
 * approved, and would wait on it forever. The extensions page (chrome://extensions, "Site access")
 * records a host as approved by the user the same way; Chromium then grants a later request for it
 * from a user gesture without a prompt (it does not grant it before: the extension holds no access
 * until its own request). The request, its gesture and `permissions.onAdded` all run for real.
 */
async function approveInExtensionsPage(pattern: string) {
  const extensions = await browser.context.newPage();
  try {
    await extensions.goto('chrome://extensions');
    await extensions.evaluate(
      ([id, host]) =>
        (
          globalThis as unknown as {
            chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } };
          }
        ).chrome.developerPrivate.addHostPermission(id!, host!),
      [browser.extensionId, pattern],
    );
  } finally {
    await extensions.close();
  }
}

/** Waits until the job stands at "Allow uploads to <otherEndpoint>" with its session made and no part sent. */
async function expectPausedForAccess(jobId: string, known: Set<string>) {
  const origin = new URL(otherEndpoint).origin;
  const paused = await waitForJob(
    page,
    jobId,
    (job) => job.kind === 'browser' && job.awaitingAccess !== undefined,
    150_000,
  );
  expect(paused).toMatchObject({ kind: 'browser', phase: 'uploading', awaitingAccess: origin });
  expect(await grantedOrigins()).not.toContain(`${origin}/*`);
  // The session exists (placeholder, multipart upload), but not one byte went to the bucket.
  expect(await s3.openUploads()).toHaveLength(1);
  expect([...s3.partPuts.keys()].filter((id) => !known.has(id))).toEqual([]);
  return paused;
}

let uninterrupted: string;

it('uploads the archive part by part to the bucket, and Cloudreve holds a valid zip', async () => {
  // The rig grants http://127.0.0.1/*, which covers the bucket's loopback origin.
  const known = new Set(s3.partPuts.keys());
  const jobId = await archive('videos.zip');
  const job = await waitForJob(page, jobId, undefined, 150_000);
  expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { name: 'videos.zip' } });
  expect(sessionOf(job)?.provider?.policyType).toBe('s3');
  const size = job.kind === 'browser' ? job.archiveSize! : 0;
  expect(size).toBeGreaterThan(50 * MIB);
  expect(sessionOf(job)?.done).toHaveLength(Math.ceil(size / PART));
  uninterrupted = await checkArchive('videos.zip', size);
  // Every part went once; the multipart upload is completed, none is left open.
  const counts = s3.partPuts.get(newUploadId(known))!;
  expect([...counts.entries()].sort(([a], [b]) => a - b)).toEqual([
    [1, 1],
    [2, 1],
    [3, 1],
    [4, 1],
  ]);
  expect(await s3.openUploads()).toEqual([]);
}, 180_000);

it('resumes on the same multipart upload after the service worker is killed mid-upload, sending no acknowledged part again', async () => {
  const known = new Set(s3.partPuts.keys());
  // Parts 1 and 2 go through; 3 and 4 wait at the bucket's door, so the kill finds them in flight.
  const release = s3.holdParts(3);
  try {
    const jobId = await archive('videos-resumed.zip');
    const uploading = await waitForJob(page, jobId, (job) => (sessionOf(job)?.done.length ?? 0) >= 2, 150_000);
    const acknowledged = sessionOf(uploading)!.done.map((index) => index + 1);
    const sessionId = sessionOf(uploading)!.id;
    const uploadId = newUploadId(known);
    expect(acknowledged).toEqual([1, 2]);

    const before = await send(page, 'ping');
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    release();

    // Any message wakes a new worker, which resumes persisted jobs on start.
    const job = await waitForJob(page, jobId, undefined, 150_000);
    expect((await send(page, 'ping')).startedAt).not.toBe(before.startedAt);
    expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { name: 'videos-resumed.zip' } });
    // The same Cloudreve session and the same multipart upload; no other was opened.
    expect(sessionOf(job)?.id).toBe(sessionId);
    expect(newUploadId(known)).toBe(uploadId);
    const counts = s3.partPuts.get(uploadId)!;
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4]);
    for (const part of acknowledged) expect(counts.get(part)).toBe(1);
    // Byte for byte the archive the uninterrupted upload stored.
    expect(await checkArchive('videos-resumed.zip', job.kind === 'browser' ? job.archiveSize! : 0)).toBe(uninterrupted);
    expect(await s3.openUploads()).toEqual([]);
    expect(sandbox.state.uploads.size).toBe(0);
  } finally {
    release();
  }
}, 240_000);

it('cancels mid-upload from the popup: no multipart upload, Cloudreve session or placeholder is left', async () => {
  const release = s3.holdParts(3);
  const popup = await openPopup(browser);
  try {
    const jobId = await archive('cancelled.zip');
    await waitForJob(page, jobId, (job) => (sessionOf(job)?.done.length ?? 0) >= 2, 150_000);
    expect(await s3.openUploads()).toHaveLength(1);
    expect(sandbox.state.uploads.size).toBe(1);

    await taskRow(popup, 'cancelled.zip').getByTestId('action-cancel').click();
    expect(await waitForJob(page, jobId)).toMatchObject({ kind: 'browser', phase: 'cancelled' });
    await expectNothingLeft('cancelled.zip');
  } finally {
    release();
    await popup.close();
  }
}, 180_000);

it('pauses with "Allow uploads to <host>" for a storage origin it has no access to; cancel then leaves nothing', async () => {
  useEndpoint(otherEndpoint);
  const known = new Set(s3.partPuts.keys());
  const jobId = await archive('paused.zip');
  await expectPausedForAccess(jobId, known);

  const popup = await openPopup(browser);
  const row = taskRow(popup, 'paused.zip');
  await expect.poll(() => row.getByTestId('task-allow-storage').textContent()).toContain(new URL(otherEndpoint).host);
  await expect.poll(() => row.getByTestId('action-allow-storage').isVisible()).toBe(true);

  await row.getByTestId('action-cancel').click();
  expect(await waitForJob(page, jobId)).toMatchObject({ kind: 'browser', phase: 'cancelled' });
  await expectNothingLeft('paused.zip');
  await popup.close();
}, 180_000);

it('goes on after a click on Allow in the popup, which grants exactly the storage origin', async () => {
  useEndpoint(otherEndpoint);
  const origin = new URL(otherEndpoint).origin;
  const grantedBefore = await grantedOrigins();
  const known = new Set(s3.partPuts.keys());
  const jobId = await archive('allowed.zip');
  await expectPausedForAccess(jobId, known);

  await approveInExtensionsPage(`${origin}/*`);
  const popup = await openPopup(browser);
  const requested = await recordPermissionRequests(popup);
  await taskRow(popup, 'allowed.zip').getByTestId('action-allow-storage').click();

  const job = await waitForJob(page, jobId, undefined, 150_000);
  expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { name: 'allowed.zip' } });
  expect(job.kind === 'browser' ? job.awaitingAccess : 'not a local job').toBeUndefined();
  expect(await requested()).toEqual([{ origins: [`${origin}/*`] }]);
  expect((await grantedOrigins()).sort()).toEqual([...grantedBefore, `${origin}/*`].sort());
  // From where it stopped: the session made before the pause, each part sent once.
  const counts = s3.partPuts.get(newUploadId(known))!;
  expect([...counts.values()]).toEqual([1, 1, 1, 1]);
  await checkArchive('allowed.zip', job.kind === 'browser' ? job.archiveSize! : 0);
  expect(await s3.openUploads()).toEqual([]);
  await popup.close();
}, 240_000);

it('goes on after a click on Allow in the options page', async () => {
  useEndpoint(otherEndpoint);
  const origin = new URL(otherEndpoint).origin;
  // Take the grant back, as a user would on the extensions page.
  await browser.worker.evaluate(
    (pattern) => (globalThis as unknown as ChromeApi).chrome.permissions.remove({ origins: [pattern] }),
    `${origin}/*`,
  );
  const known = new Set(s3.partPuts.keys());
  const jobId = await archive('allowed-options.zip');
  await expectPausedForAccess(jobId, known);

  const options = await openOptions(browser);
  const requested = await recordPermissionRequests(options);
  await options.getByTestId('options-allow-storage').click();
  const job = await waitForJob(page, jobId, undefined, 150_000);
  expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { name: 'allowed-options.zip' } });
  expect(await requested()).toEqual([{ origins: [`${origin}/*`] }]);
  await checkArchive('allowed-options.zip', job.kind === 'browser' ? job.archiveSize! : 0);
  await expect.poll(() => options.getByTestId('storage-access').count()).toBe(0);
  await options.close();
}, 240_000);

it('never sent a credential to the bucket', () => {
  expect(s3.partPuts.size).toBeGreaterThan(0);
  expect(s3.credentialHeaders).toEqual([]);
});
