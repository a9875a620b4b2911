/**
 * Issue 15, the edges of the page's dialog, in real Chromium with the built extension and the
 * sandbox's stand-in of the Cloudreve web UI:
 * - a sign-in on the page is seen by the options page without a reload (no 30 s wait);
 * - "archive this folder" with nothing selected: a 1,000-file folder (ten times the 100 items the
 *   page loads at once) archived whole, on the server and in the browser;
 * - the dialog remembers mode, compression and destination per server;
 * - after a switch of account, the popup shows only the current account's jobs, and the worker
 *   refuses to act on another account's with the current token.
 * Bounds are generous (the machine is shared): they only tell "within moments" from "after 30 s".
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import type { ExtensionBrowser } from '../../tools/chromium';
import { send, sendRaw } from '../../tools/extension';
import { shadowElement } from '../../tools/devtools';
import { sandboxPage, type SandboxPage } from '../../tools/sandbox-page';
import { openOptions, openPopup, taskRow } from '../helpers/popup-page';
import { finishedJob, openDialogFromWorker, startPageRig, zipEntries, type PageRig } from '../helpers/rig';

const SHOTS = 'test-results/accounts';
const ADMIN = 'admin@example.com';
const USER = 'user@example.com';
const BIG = Array.from({ length: 1000 }, (_, i) => `big/f${String(i).padStart(4, '0')}.txt`);
/** Far below the page's 30 s report interval, far above the ~1 s the issue asks for. */
const SEEN_WITHIN_MS = 15_000;

let rig: PageRig;
let sandbox: Sandbox;
let browser: ExtensionBrowser;
let extension: Page;
let serverId: string;
let ui: SandboxPage;

/** Files (not folder entries) in the zip, after unzip -t and Python's testzip() passed. */
async function zipFiles(path: string): Promise<string[]> {
  return (await zipEntries(path)).map((name) => name.replace(/^\//, '')).filter((name) => !name.endsWith('/'));
}

/** The keyboard command's path (test/helpers/rig.ts), then the dialog is up. */
async function openFromWorker() {
  await openDialogFromWorker(browser, ui.page, sandbox.url);
  await ui.dialog.waitFor();
}

const accountOf = async () => (await send(extension, 'listServers')).find((s) => s.id === serverId)!;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  rig = await startPageRig({ extraFiles: Object.fromEntries(BIG.map((path) => [path, `${path}\n`])) });
  ({ sandbox, browser, page: extension, serverId } = rig);
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  ui = sandboxPage(page, sandbox.url);
});

afterAll(() => rig?.close());

describe('a sign-in on the page', () => {
  it('is seen by the open options page within moments, without a reload', async () => {
    await ui.signIn(ADMIN, 'admin123');
    // The extension held no session: the page's becomes its own.
    await expect.poll(async () => (await accountOf()).account?.email, { timeout: SEEN_WITHIN_MS }).toBe(ADMIN);
    const options = await openOptions(browser);
    try {
      await expect.poll(() => options.getByTestId('server-state').textContent()).toContain(ADMIN);

      // Another account signs in on the same page, in the same document (the app navigates itself).
      await ui.page.goto(`${sandbox.url}/session`);
      await ui.page.fill('input[name=email]', USER);
      await ui.page.fill('input[name=password]', 'user123');
      await ui.page.evaluate(() => {
        const seen: number[] = [];
        (window as unknown as { hints: number[] }).hints = seen;
        window.addEventListener('message', (event) => {
          if ((event.data as { kind?: string })?.kind === 'session-changed') seen.push(Date.now());
        });
      });
      const signedInAt = Date.now();
      await ui.page.click('button[type=submit]');
      await ui.page.waitForURL('**/home**');
      console.log(`[accounts] at /home after ${Date.now() - signedInAt} ms`);
      try {
        await expect
          .poll(async () => (await accountOf()).pageAccount?.email, { timeout: SEEN_WITHIN_MS, interval: 100 })
          .toBe(USER);
      } finally {
        const hints = await ui.page.evaluate(() => (window as unknown as { hints: number[] }).hints);
        console.log(
          `[accounts] after ${Date.now() - signedInAt} ms the worker knew ${(await accountOf()).pageAccount?.email};`,
          `session hints posted after [${hints.map((at) => at - signedInAt).join(', ')}] ms`,
        );
      }
      await expect
        .poll(
          () =>
            options
              .getByTestId('server-page-account')
              .textContent()
              .catch(() => ''),
          {
            timeout: SEEN_WITHIN_MS,
            interval: 100,
          },
        )
        .toContain(USER);
      console.log(`[accounts] the options page showed the page's new account after ${Date.now() - signedInAt} ms`);
      // Only a hint: the extension keeps acting as the admin until the user chooses otherwise.
      expect((await accountOf()).account?.email).toBe(ADMIN);
      await options.screenshot({ path: `${SHOTS}/01-options-page-account.png` });
    } finally {
      // The page's tab must be the active one again for the next tests.
      await options.close();
    }
  });
});

describe('archive this folder, remembered choices', () => {
  it('with nothing selected archives the whole 1,000-file folder on the server, every file of it', async () => {
    await ui.signIn(ADMIN, 'admin123');
    await ui.item('big').click();
    await ui.item('f0000.txt').waitFor();
    await openFromWorker();
    expect(await ui.summary.textContent()).toContain('The whole folder “big”');
    expect(await ui.name.inputValue()).toBe('big.zip');
    expect(await ui.folder.textContent()).toBe('My files');
    await ui.mode('server').check();
    expect(await ui.startArchive('big-server.zip')).toMatch(/created on the server/);
    const job = await finishedJob(extension, 'big-server.zip', 120_000);
    expect(job).toMatchObject({ kind: 'server', status: 'completed', sources: ['cloudreve://my/big'] });
    expect((await zipFiles(sandbox.pathOf(ADMIN, 'big-server.zip'))).sort()).toEqual(BIG);
    await ui.close.click();
  });

  it('in the browser too (every page of the listing), and the dialog remembers mode, level and folder', async () => {
    await openFromWorker();
    // Remembered from the last Start on this server.
    expect(await ui.mode('server').isChecked()).toBe(true);
    await ui.mode('browser').check();
    await shadowElement(ui.page, 'dialog', '[data-testid=picker-folder][data-name="Docs"]').click();
    await expect.poll(() => ui.folder.textContent()).toBe('Docs');
    await selectLevel('9');
    expect(await ui.startArchive('big-browser.zip')).toMatch(/in the browser/);
    const job = await finishedJob(extension, 'big-browser.zip', 120_000);
    expect(job).toMatchObject({ kind: 'browser', phase: 'done', compression: { level: 9 } });
    expect((await zipFiles(sandbox.pathOf(ADMIN, 'Docs/big-browser.zip'))).sort()).toEqual(BIG);
    await ui.close.click();

    // A fresh page load: the next dialog on this server starts where the last one ended.
    await ui.page.reload();
    await ui.item('f0000.txt').waitFor();
    await ui.select('f0001.txt');
    await openFromWorker();
    expect(await ui.mode('browser').isChecked()).toBe(true);
    await expect.poll(() => ui.folder.textContent()).toBe('Docs');
    expect(await levelValue()).toBe('9');
    await ui.page.screenshot({ path: `${SHOTS}/02-remembered.png` });
    await ui.cancel.click();
  });
});

describe('switching accounts on one server', () => {
  it("shows only the current account's jobs in the popup and refuses to act on the others'", async () => {
    const adminJob = await finishedJob(extension, 'big-server.zip', 120_000);
    expect(adminJob.account?.email).toBe(ADMIN);
    // The user signs in as someone else (here in the options page), and has a task of their own.
    expect((await send(extension, 'login', { serverId, email: USER, password: 'user123' })).kind).toBe('signed-in');
    // (The user's group may not archive on the server: a job in the browser.)
    await send(extension, 'startArchive', {
      serverId,
      sources: ['cloudreve://my/a%20b.txt'],
      name: 'users-own.zip',
      destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
      mode: 'browser',
    });
    expect((await finishedJob(extension, 'users-own.zip', 120_000)).account?.email).toBe(USER);

    const popup = await openPopup(browser);
    await taskRow(popup, 'users-own.zip').first().waitFor();
    // The admin's jobs are not among the current rows; they sit in the collapsed "Other accounts".
    const others = popup.getByTestId('other-accounts');
    await others.waitFor({ state: 'attached' });
    expect(await others.getAttribute('open')).toBeNull();
    await others.locator('summary').click();
    const adminRow = others
      .locator(`[data-testid=task-row][data-account="${ADMIN}"]`)
      .filter({ hasText: 'big-server.zip' });
    await adminRow.waitFor();
    expect(await adminRow.locator('button').count()).toBe(0);
    const currentNames = await popup
      .locator('[data-testid=task-row]:not([data-account]) [data-testid=task-name]')
      .allTextContents();
    expect(currentNames).toContain('users-own.zip');
    expect(currentNames).not.toContain('big-server.zip');
    expect(currentNames).not.toContain('big-browser.zip');
    await popup.screenshot({ path: `${SHOTS}/03-popup-other-accounts.png` });

    // The worker refuses the admin's job with the user's token, with a code, whatever the caller.
    const download = await sendRaw(extension, 'downloadResult', {
      serverId,
      uri: adminJob.result!.location,
      account: adminJob.account,
    });
    expect(download).toMatchObject({ ok: false, error: { code: 'other-account' } });
    expect(await sendRaw(extension, 'runInBrowser', adminJob.id)).toMatchObject({
      ok: false,
      error: { code: 'other-account' },
    });
    const browserJob = await finishedJob(extension, 'big-browser.zip', 120_000);
    expect(await sendRaw(extension, 'retryJob', browserJob.id)).toMatchObject({
      ok: false,
      error: { code: 'other-account' },
    });
    await popup.close();
  });
});

/** Picks the last compression level the way a user does: focus the list, End. */
async function selectLevel(value: string) {
  await ui.level.focus();
  await ui.page.keyboard.press('End');
  expect(await ui.level.inputValue()).toBe(value);
}

const levelValue = () => ui.level.inputValue();
