/**
 * The s3 policy in Firefox ESR (test/helpers/any-browser.ts): the built add-on connects the
 * sandbox from the options page (a real click grants the host: `extensions.webextOptionalPermissionPrompts`
 * is off in tools/firefox.ts), and an archive built in the browser goes part by part to the real
 * S3 server (tools/s3-server.ts). Firefox match patterns carry no port, so the sandbox's grant
 * (`http://127.0.0.1/*`) covers a bucket on another port of that host, and "Allow uploads to
 * <host>" must request the port-less pattern: a pattern with a port is granted there but
 * matches nothing (lib/servers/host-pattern.ts), and the job would wait for ever.
 *
 * Run `npx wxt build -b firefox --mv3` first.
 */
import { statSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hasJobEnded, type Job } from '../../lib/jobs/types';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { startS3Server, type S3Server } from '../../tools/s3-server';
import { openBrowser, sendFrom, type TestBrowser, type TestPage, type WithExtensionApi } from '../helpers/any-browser';
import { MIB, s3PolicySandbox, videosArchive } from '../helpers/s3-policy';
import { pythonInspect, unzipTest } from '../integration/zip/helpers';

const USER = 'user@example.com';
const testId = (id: string) => `[data-testid="${id}"]`;

let s3: S3Server;
let sandbox: Sandbox;
let browser: TestBrowser;
/** An extension page to talk to the background from. */
let control: TestPage;
let serverId: string;

beforeAll(async () => {
  s3 = await startS3Server();
  sandbox = await startSandbox({ page: 'placeholder', ...s3PolicySandbox(s3) });
  browser = await openBrowser('firefox');
  control = await browser.newPage(`${browser.extensionOrigin}/popup.html`, testId('popup'));

  const options = await browser.newPage(`${browser.extensionOrigin}/options.html`, testId('options'));
  await options.fill(testId('connect-url'), sandbox.url);
  await options.click(testId('connect-submit'));
  await options.waitFor(`${testId('sign-in-form')}, ${testId('connect-error')}`);
  expect(await options.count(testId('connect-error'))).toBe(0);
  await options.close();
  serverId = (await sendFrom(control, 'listServers')).find((server) => server.origin === sandbox.url)!.id;
  expect((await sendFrom(control, 'login', { serverId, email: USER, password: 'user123' })).kind).toBe('signed-in');
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  await s3?.stop();
});

async function archive(name: string): Promise<string> {
  return (await sendFrom(control, 'startArchive', videosArchive(serverId, name))).jobId;
}

async function waitForJob(jobId: string, predicate: (job: Job) => boolean = hasJobEnded): Promise<Job> {
  let last: Job | undefined;
  await expect
    .poll(
      async () => {
        last = (await sendFrom(control, 'listJobs')).find((job) => job.id === jobId);
        return last !== undefined && predicate(last);
      },
      { timeout: 150_000, interval: 250 },
    )
    .toBe(true);
  return last!;
}

const grantedOrigins = () => browser.inBackground(async (api) => (await api.permissions.getAll()).origins ?? [], null);

/** The multipart upload opened since `known` was taken, and how often each of its parts was sent. */
function partsOfNewUpload(known: Set<string>): number[] {
  const fresh = [...s3.partPuts.keys()].filter((id) => !known.has(id));
  expect(fresh).toHaveLength(1);
  return [...s3.partPuts.get(fresh[0]!)!.entries()].sort(([a], [b]) => a - b).map(([, count]) => count);
}

async function checkArchive(name: string, job: Job) {
  const zip = sandbox.pathOf(USER, name);
  expect(statSync(zip).size).toBe(job.kind === 'browser' ? job.archiveSize : -1);
  await unzipTest(zip);
  const { bad, entries } = await pythonInspect(zip);
  expect(bad).toBeNull();
  expect(entries.filter((entry) => !entry.is_dir).map((entry) => entry.size)).toEqual([26 * MIB, 26 * MIB]);
}

it('uploads the archive part by part to a bucket on another port of the connected host', async () => {
  const known = new Set(s3.partPuts.keys());
  const jobId = await archive('videos.zip');
  const job = await waitForJob(jobId);
  expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { name: 'videos.zip' } });
  expect(job.kind === 'browser' && job.archiveSize! > 50 * MIB).toBe(true);
  await checkArchive('videos.zip', job);
  expect(partsOfNewUpload(known)).toEqual([1, 1, 1, 1]);
  expect(await s3.openUploads()).toEqual([]);
}, 180_000);

it('pauses for a bucket on another host until a click on Allow in the popup grants that host, port-less', async () => {
  const endpoint = s3.url.replace('127.0.0.1', 'localhost');
  sandbox.config.policy.s3 = { ...sandbox.config.policy.s3!, endpoint };
  const grantedBefore = await grantedOrigins();
  const known = new Set(s3.partPuts.keys());
  const jobId = await archive('allowed.zip');
  const paused = await waitForJob(jobId, (job) => job.kind === 'browser' && job.awaitingAccess !== undefined);
  expect(paused).toMatchObject({ kind: 'browser', phase: 'uploading', awaitingAccess: new URL(endpoint).origin });
  expect(await s3.openUploads()).toHaveLength(1);
  expect([...s3.partPuts.keys()].filter((id) => !known.has(id))).toEqual([]);

  const popup = await browser.newPage(`${browser.extensionOrigin}/popup.html`, testId('action-allow-storage'));
  expect(await popup.text(testId('task-allow-storage'))).toContain(new URL(endpoint).host);
  await popup.evaluate(() => {
    const permissions = (globalThis as unknown as WithExtensionApi).browser!.permissions;
    const original = permissions.request.bind(permissions);
    const seen: unknown[] = [];
    Object.assign(globalThis, { requestedPermissions: seen });
    permissions.request = (wanted) => (seen.push(wanted), original(wanted));
  }, null);
  await popup.click(testId('action-allow-storage'));

  const job = await waitForJob(jobId);
  expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { name: 'allowed.zip' } });
  const requested = await popup.evaluate(
    () => (globalThis as unknown as { requestedPermissions: unknown[] }).requestedPermissions,
    null,
  );
  expect(requested).toEqual([{ origins: ['http://localhost/*'] }]);
  expect((await grantedOrigins()).sort()).toEqual([...grantedBefore, 'http://localhost/*'].sort());
  await checkArchive('allowed.zip', job);
  // Went on from where it stopped: the session made before the pause, each part sent once.
  expect(partsOfNewUpload(known)).toEqual([1, 1, 1, 1]);
  expect(await s3.openUploads()).toEqual([]);
  expect(s3.credentialHeaders).toEqual([]);
  await popup.close();
}, 240_000);
