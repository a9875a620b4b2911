/**
 * The popup against the sandbox in real Chromium: server tasks with live
 * progress, a failed task re-run in the browser, a task started in Cloudreve
 * itself, cancelling a browser job, badge and notification, light/dark/zh_CN.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { launchExtension, type ExtensionBrowser } from '../../tools/chromium';
import { send } from '../../tools/extension';
import { waitForJob } from '../../tools/job-waits';
import {
  badgeText,
  completedDownloads,
  connectAndSignIn,
  notificationIds,
  openPopup,
  startTaskInCloudreve,
  taskRow,
} from '../helpers/popup-page';

const ADMIN = { email: 'admin@example.com', password: 'admin123' };
const HOSTS = ['http://127.0.0.1/*'];

let sandbox: Sandbox;
let browser: ExtensionBrowser;
let page: Page;
let serverId: string;

function archive(name: string, mode: 'server' | 'browser', sources = ['cloudreve://my/Docs']) {
  return send(page, 'startArchive', {
    serverId,
    sources,
    name,
    destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
    mode,
  });
}

beforeAll(async () => {
  mkdirSync('test-results', { recursive: true });
  // Slow enough to watch: each archived file takes a while on the "server".
  sandbox = await startSandbox({ page: 'placeholder', config: { faults: { taskFileDelayMs: 400, taskStepMs: 200 } } });
  browser = await launchExtension({ grantHosts: HOSTS, colorScheme: 'light' });
  page = await openPopup(browser);
  serverId = await connectAndSignIn(page, sandbox, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe('popup task tracker', () => {
  it('shows a server task with progress until it completes; badge and notification follow', async () => {
    const started = await archive('docs-server.zip', 'server');
    expect(started.kind).toBe('server');
    const running = taskRow(page, 'docs-server.zip', 'running');
    await running.waitFor({ timeout: 15_000 });
    await expect.poll(() => running.getByTestId('task-progress').count()).toBe(1);
    await expect.poll(() => running.getByTestId('task-status').textContent()).toMatch(/Running on the server/);
    await expect.poll(() => badgeText(browser)).toBe('1');

    const done = taskRow(page, 'docs-server.zip', 'done');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.getByTestId('task-where').textContent()).toBe('Master');
    expect(await done.getByTestId('task-folder').textContent()).toBe('My files');
    await expect.poll(() => badgeText(browser)).toBe('');
    await expect.poll(() => notificationIds(browser)).toContain(`job:${started.jobId}`);

    // "Open folder" opens the Cloudreve folder page in a new tab.
    const [tab] = await Promise.all([
      browser.context.waitForEvent('page'),
      done.getByTestId('action-open-folder').click(),
    ]);
    expect(tab.url()).toBe(`${sandbox.url}/home?path=${encodeURIComponent('cloudreve://my')}`);
    await tab.close();

    // "Download" fetches the stored archive through a signed URL.
    await done.getByTestId('action-download').click();
    await expect.poll(async () => (await completedDownloads(browser)).length, { timeout: 15_000 }).toBe(1);
    const [download] = await completedDownloads(browser);
    expect(download!.url.startsWith(sandbox.url)).toBe(true);
    expect(readFileSync(download!.filename)).toEqual(readFileSync(sandbox.pathOf(ADMIN.email, 'docs-server.zip')));
  });

  it('shows a failed server task and runs it in the browser instead', async () => {
    sandbox.config.faults.taskFails = 'disk exploded';
    await archive('fragile.zip', 'server');
    const failed = taskRow(page, 'fragile.zip', 'failed');
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.getByTestId('task-error').textContent()).toContain('disk exploded');
    sandbox.config.faults.taskFails = null;

    await failed.getByTestId('action-run-in-browser').click();
    const inBrowser = taskRow(page, 'fragile.zip', 'done');
    await inBrowser.waitFor({ timeout: 30_000 });
    expect(await inBrowser.getByTestId('task-where').textContent()).toBe('In the browser');
    // The failed task stays listed, without the offer it already used.
    await expect.poll(() => failed.getByTestId('action-run-in-browser').count()).toBe(0);
  });

  it('lists a task started in the Cloudreve web app', async () => {
    await startTaskInCloudreve(sandbox, ADMIN, { src: ['cloudreve://my/Photos'], dst: 'cloudreve://my/from-web.zip' });
    // A popup that opens asks the server at once.
    await page.reload();
    await taskRow(page, 'from-web.zip').waitFor({ timeout: 15_000 });
    await taskRow(page, 'from-web.zip', 'done').waitFor({ timeout: 30_000 });
  });

  it('cancels a browser job', async () => {
    sandbox.config.faults.latencyMs = 400;
    try {
      const started = await archive('slow-local.zip', 'browser');
      const row = taskRow(page, 'slow-local.zip');
      await row.getByTestId('action-cancel').click({ timeout: 15_000 });
      await taskRow(page, 'slow-local.zip', 'cancelled').waitFor({ timeout: 15_000 });
      expect((await waitForJob(page, started.jobId)).kind === 'browser').toBe(true);
      await expect.poll(() => taskRow(page, 'slow-local.zip').getByTestId('action-retry').count()).toBe(1);
    } finally {
      sandbox.config.faults.latencyMs = 0;
    }
  });

  it('looks right in light and dark with tasks in every state, then clears finished ones', async () => {
    sandbox.config.faults.taskFileDelayMs = 3_000;
    await archive('in-progress.zip', 'server');
    await taskRow(page, 'in-progress.zip', 'running').getByTestId('task-progress').waitFor({ timeout: 15_000 });
    const popup = page.getByTestId('popup');
    await popup.screenshot({ path: 'test-results/popup-light.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await popup.screenshot({ path: 'test-results/popup-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
    sandbox.config.faults.taskFileDelayMs = 0;

    await page.getByTestId('clear-finished').click();
    await expect.poll(() => taskRow(page, 'docs-server.zip').count()).toBe(0);
    // Finished tasks started elsewhere go too; the running one stays, and a reopened popup agrees.
    await expect.poll(() => taskRow(page, 'from-web.zip').count()).toBe(0);
    await page.reload();
    await taskRow(page, 'in-progress.zip').waitFor();
    expect(await page.getByTestId('task-row').count()).toBe(1);
  });

  it('tells a signed-out user the next step', async () => {
    await send(page, 'signOut', serverId);
    const banner = page.getByTestId('signed-out');
    await banner.waitFor();
    const [options] = await Promise.all([browser.context.waitForEvent('page'), banner.getByTestId('sign-in').click()]);
    expect(options.url()).toBe(`chrome-extension://${browser.extensionId}/options.html`);
    await options.close();
  });
});

describe('popup in Simplified Chinese', () => {
  it('renders Chinese text', async () => {
    const zh = await launchExtension({ grantHosts: HOSTS, locale: 'zh-CN' });
    try {
      const popup = await openPopup(zh);
      await expect.poll(() => popup.getByTestId('no-server').textContent()).toContain('连接');
      await connectAndSignIn(popup, sandbox, ADMIN.email, ADMIN.password);
      const id = (await send(popup, 'listServers'))[0]!.id;
      sandbox.config.faults.taskFails = '磁盘已满';
      await send(popup, 'startArchive', {
        serverId: id,
        sources: ['cloudreve://my/Docs', 'cloudreve://my/a%20b.txt'],
        name: '报告.zip',
        destination: { kind: 'cloudreve', folderUri: 'cloudreve://my/Docs' },
        mode: 'server',
      });
      const failed = taskRow(popup, '报告.zip', 'failed');
      await failed.waitFor({ timeout: 30_000 });
      sandbox.config.faults.taskFails = null;
      expect(await popup.locator('h1').textContent()).toBe('打包任务');
      expect(await failed.getByTestId('task-status').textContent()).toBe('失败');
      expect(await failed.getByTestId('action-run-in-browser').textContent()).toBe('改为在浏览器中运行');
      await failed.getByTestId('action-run-in-browser').click();
      await taskRow(popup, '报告.zip', 'done').waitFor({ timeout: 30_000 });
      await popup.getByTestId('popup').screenshot({ path: 'test-results/popup-zh_CN.png' });
    } finally {
      sandbox.config.faults.taskFails = null;
      await zh.close();
    }
  });
});
