/**
 * Faults only a real browser shows (issue 13), in Chromium with the built extension:
 * - the source server stops in the middle of a job: the popup says "waiting for the
 *   server", and the job finishes by itself once the server is back;
 * - the options page shows the browser storage the extension uses, the spool of a failed
 *   job included, and "Clear finished" frees it.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserJob } from '../../lib/jobs/types';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { launchExtension, type ExtensionBrowser } from '../../tools/chromium';
import { send } from '../../tools/extension';
import { findJob, waitForJob } from '../../tools/job-waits';
import { startFlakyProxy, type FlakyProxy } from '../chaos/flaky-proxy';
import { unzipTest } from '../integration/zip/helpers';
import { openOptions, openPopup, taskRow } from '../helpers/popup-page';
import { opfsFiles } from '../helpers/rig';

const USER = 'user@example.com';
const MiB = 1024 * 1024;

/** Bytes of the options page's storage line ("… uses 12.3 MB of …"). */
async function storageShown(browser: ExtensionBrowser): Promise<number> {
  const options = await openOptions(browser);
  const line = options.getByTestId('storage-use');
  await line.waitFor();
  const text = await line.innerText();
  await options.close();
  const match = /([\d.,]+)\s*(B|KB|MB|GB)/.exec(text);
  if (!match) throw new Error(`No size in "${text}"`);
  // formatBytes (lib/i18n.ts) counts in 1024s.
  const unit = { B: 1, KB: 1024, MB: MiB, GB: 1024 * MiB }[match[2]!]!;
  return Number(match[1]!.replace(',', '')) * unit;
}

async function startJob(page: Page, serverId: string, name: string, sources: string[]): Promise<string> {
  const started = await send(page, 'startArchive', {
    serverId,
    sources,
    name,
    destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
    mode: 'browser',
    // Stored as they are: the spool is as big as the files.
    compression: { mode: 'store', level: 0 },
  });
  expect(started.kind).toBe('browser');
  return started.jobId;
}

async function clearFinished(browser: ExtensionBrowser) {
  const popup = await openPopup(browser);
  await popup.getByTestId('clear-finished').click();
  await popup.getByTestId('clear-finished').waitFor({ state: 'detached' });
  await popup.close();
}

describe('browser faults', () => {
  let sandbox: Sandbox;
  let proxy: FlakyProxy;
  let browser: ExtensionBrowser;
  let page: Page;
  let serverId: string;

  beforeAll(async () => {
    sandbox = await startSandbox({
      page: 'placeholder',
      config: { policy: { chunkSize: 4 * MiB } },
      extraFiles: { 'Spool/big.bin': randomBytes(24 * MiB), 'Away/a.bin': randomBytes(6 * MiB) },
    });
    // The extension knows the server through a proxy that can refuse every connection (a stopped server).
    proxy = await startFlakyProxy({ target: sandbox.url, failureRate: 0 });
    sandbox.config.siteUrl = proxy.url;
    browser = await launchExtension({ grantHosts: ['http://127.0.0.1/*'] });
    page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    serverId = (await send(page, 'addServer', { url: proxy.url })).id;
    expect((await send(page, 'login', { serverId, email: USER, password: 'user123' })).kind).toBe('signed-in');
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await sandbox?.stop();
  });

  it('says "waiting for the server" while the server is stopped, and finishes once it is back', async () => {
    let stopped = false;
    proxy.onRequest((method, route) => {
      // The server stops as the first file is downloaded.
      if (!stopped && method === 'GET' && route.startsWith('/api/v4/file/content/')) {
        stopped = true;
        proxy.down();
      }
    });
    const popup = await openPopup(browser);
    const jobId = await startJob(page, serverId, 'away.zip', ['cloudreve://my/Away']);
    const row = taskRow(popup, 'away.zip');
    await row.getByTestId('task-status').getByText('Waiting for the server to answer again').waitFor();
    expect((await findJob(page, jobId))?.kind === 'browser').toBe(true);
    proxy.onRequest(undefined);
    proxy.resume();
    const job = (await waitForJob(page, jobId)) as BrowserJob;
    expect(job.error).toBeUndefined();
    expect(job.phase).toBe('done');
    await taskRow(popup, 'away.zip', 'done').waitFor();
    await expect(row.getByTestId('task-status').innerText()).resolves.not.toContain('Waiting');
    await unzipTest(sandbox.pathOf(USER, job.result!.name));
    await popup.close();
  });

  it('shows the spool of a failed job in the options page, and "Clear finished" frees it', async () => {
    // The claim of the name is refused (a file too large for the policy): the job fails after zipping
    // and keeps its spool for a retry.
    sandbox.config.faults.failRequests.push({ method: 'PUT', path: '^/api/v4/file/upload$', code: 40049, times: 1 });
    const jobId = await startJob(page, serverId, 'spool.zip', ['cloudreve://my/Spool']);
    const failed = (await waitForJob(page, jobId)) as BrowserJob;
    expect(failed.phase).toBe('failed');
    expect(failed.archiveSize).toBeGreaterThan(24 * MiB);
    expect(await storageShown(browser)).toBeGreaterThanOrEqual(failed.archiveSize!);
    expect(await opfsFiles(page)).not.toEqual([]);

    await clearFinished(browser);
    expect(await findJob(page, jobId)).toBeUndefined();
    await expect.poll(() => opfsFiles(page)).toEqual([]);
    expect(await storageShown(browser)).toBeLessThan(failed.archiveSize! / 4);
  });
});
