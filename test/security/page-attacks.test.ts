/**
 * Attacks from a page on a connected Cloudreve origin, in real Chromium with
 * the built extension: what a script on that origin (an XSS, a user-uploaded
 * HTML file Cloudreve serves) or a compromised renderer could try. Each test
 * runs the attack and checks that it gets nowhere. Page scripts run through
 * `page.evaluate` (the page's own world); the content script's isolated world
 * through the DevTools protocol (tools/devtools.ts).
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../lib/jobs/types';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { launchExtension, type ExtensionBrowser } from '../../tools/chromium';
import { inContentScript, shadowElement } from '../../tools/devtools';
import { send } from '../../tools/extension';
import { sandboxPage, type SandboxPage } from '../../tools/sandbox-page';
import { openDialogFromWorker } from '../helpers/rig';

const SHOTS = 'test-results/security';
const ADMIN = 'admin@example.com';
const USER = 'user@example.com';
const RTL = 'rtl-\u202Egnp.exe';
const HTML_NAME = "<img src=x onerror=document.title='pwned'>.txt";

let sandbox: Sandbox;
let browser: ExtensionBrowser;
let extension: Page;
let serverId: string;

/** A token pair of `email`, signed in straight against the sandbox (what another tab or device would hold). */
async function tokensOf(email: string, password: string) {
  const response = await fetch(`${sandbox.url}/api/v4/session/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { data } = (await response.json()) as { data: { user: { id: string; email: string }; token: unknown } };
  return data;
}

async function openHome(email?: string, password?: string): Promise<SandboxPage> {
  const page = await browser.context.newPage();
  const ui = sandboxPage(page, sandbox.url);
  if (email && password) await ui.signIn(email, password);
  else await page.goto(`${sandbox.url}/home`);
  return ui;
}

/** The keyboard command's path: the worker tells the page's content script to open the dialog. */
const openFromWorker = (page: Page) => openDialogFromWorker(browser, page, sandbox.url);

/** A page script's own clicks on our toolbar button (untrusted events). */
function clickAsThePage(page: Page) {
  return page.evaluate(() => {
    const button = document.querySelector<HTMLElement>('[data-testid=cra-toolbar-archive]')!;
    button.click();
    button.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  });
}

/** What a page script can do to our open dialog: find its host, script its (closed) root, press Start. */
function scriptTheDialog(page: Page) {
  return page.evaluate(() => {
    const host = document.querySelector('[data-cloudreve-archiver=dialog]');
    const root = host?.shadowRoot;
    const start = root?.querySelector<HTMLButtonElement>('[data-testid=cra-start]');
    start?.click();
    root?.querySelector('form')?.requestSubmit();
    host?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    return { host: !!host, root: !!root, start: !!start };
  });
}

/** A page script that answers the content script's selection request itself, before the real bridge can. */
async function forgeSelection(page: Page, selection: { uris: string[]; names: string[]; folder: string }) {
  await page.evaluate((forged) => {
    // The page world is the page's: a hostile page answers our selection requests itself and keeps
    // the extension's own page-world script from answering (its replies go through this postMessage).
    const post = window.postMessage.bind(window);
    window.postMessage = ((message: { source?: string; kind?: string }, ...rest: [string]) => {
      if (message?.source === 'cloudreve-archiver-bridge' && message.kind === 'selection-reply') return;
      post(message, ...rest);
    }) as typeof window.postMessage;
    window.addEventListener(
      'message',
      (event) => {
        if (event.data?.source !== 'cloudreve-archiver-bridge' || event.data.kind !== 'selection-request') return;
        event.stopImmediatePropagation();
        const reply = { ...event.data, kind: 'selection-reply', selection: forged };
        post(reply, location.origin);
      },
      true,
    );
  }, selection);
}

/**
 * Lets whatever an attack set off run its course before checking that nothing
 * came of it. The fixed code refuses at once; the old code needed up to a few
 * seconds on a loaded machine to open its dialog, so the wait is generous.
 */
const settle = (page: Page) => page.waitForTimeout(5_000);

async function jobs(): Promise<Job[]> {
  return send(extension, 'listJobs');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  sandbox = await startSandbox({ extraFiles: { [RTL]: 'not a picture\n', [HTML_NAME]: 'text\n' } });
  browser = await launchExtension({ grantHosts: ['http://127.0.0.1/*'] });
  extension = await browser.context.newPage();
  await extension.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  serverId = (await send(extension, 'addServer', { url: sandbox.url })).id;
  // Signed in through the options page: a session the page may never replace silently.
  await send(extension, 'login', { serverId, email: ADMIN, password: 'admin123' });
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe('secrets', () => {
  it('the content script context reads no token and no password from extension storage', async () => {
    await send(extension, 'provisionDav', serverId);
    const ui = await openHome(ADMIN, 'admin123');
    const read = (await inContentScript(
      ui.page,
      `chrome.storage.local.get(null).then((all) => JSON.stringify(all), (error) => 'refused: ' + error.message)`,
    )) as string;
    expect(read).not.toMatch(/access_token|refresh_token|password/);
    // Where storage.local cannot be closed to content scripts (Firefox), it holds no secret either.
    const stored = await extension.evaluate(() =>
      (
        globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<unknown> } } } }
      ).chrome.storage.local
        .get(null)
        .then((all) => JSON.stringify(all)),
    );
    expect(stored).toContain(sandbox.url);
    expect(stored).not.toMatch(/access_token|refresh_token|password/);
    // The extension still works with them.
    expect((await send(extension, 'testConnection', serverId)).authState).toBe('signed-in');
    await ui.page.close();
  });
});

describe('page-started jobs', () => {
  it('a page script’s click on the Archive button opens nothing', async () => {
    const ui = await openHome(ADMIN, 'admin123');
    await ui.select('a b.txt');
    await ui.toolbarArchive.waitFor();
    await clickAsThePage(ui.page);
    await settle(ui.page);
    expect(await ui.dialog.count()).toBe(0);
    await ui.page.close();
  });

  it('the open dialog is out of the page’s reach: no shadow root to script, Start ignores synthetic input', async () => {
    const ui = await openHome(ADMIN, 'admin123');
    await ui.select('a b.txt');
    await ui.toolbarArchive.click();
    await ui.dialog.waitFor();
    const before = (await jobs()).length;
    expect(await scriptTheDialog(ui.page)).toEqual({ host: true, root: false, start: false });
    await settle(ui.page);
    expect(await jobs()).toHaveLength(before);
    await ui.cancel.click();
    await ui.page.close();
  });

  it('a signed-out page gets no dialog and no job, even with a forged selection', async () => {
    const ui = await openHome();
    // Signed out: the app's session is gone from the origin's storage (shared by every tab).
    await ui.page.evaluate(() => localStorage.removeItem('cloudreve_session'));
    await ui.page.reload();
    await forgeSelection(ui.page, {
      uris: ['cloudreve://my/a%20b.txt'],
      names: ['holiday.jpg'],
      folder: 'cloudreve://my',
    });
    const before = (await jobs()).length;
    await openFromWorker(ui.page);
    await ui.toast.waitFor();
    expect(await ui.toast.textContent()).toMatch(/Sign in on this page first/);
    expect(await ui.dialog.count()).toBe(0);
    expect(await jobs()).toHaveLength(before);
    await ui.page.close();
  });

  it('the dialog shows the server’s names, not the page’s', async () => {
    const ui = await openHome(ADMIN, 'admin123');
    await forgeSelection(ui.page, {
      uris: ['cloudreve://my/a%20b.txt'],
      names: ['holiday.jpg'],
      folder: 'cloudreve://my',
    });
    await openFromWorker(ui.page);
    await ui.dialog.waitFor();
    expect(await ui.summary.textContent()).toBe('1 item: a b.txt');
    expect(await ui.name.inputValue()).toBe('a b.txt.zip');
    await ui.cancel.click();
    await ui.page.close();
  });

  it('a forged URI of nothing on the server opens no dialog', async () => {
    const ui = await openHome(ADMIN, 'admin123');
    await forgeSelection(ui.page, {
      uris: ['cloudreve://my/nowhere.bin'],
      names: ['a b.txt'],
      folder: 'cloudreve://my',
    });
    await openFromWorker(ui.page);
    await ui.toast.waitFor();
    expect(await ui.dialog.count()).toBe(0);
    await ui.page.close();
  });
});

describe('planting a session', () => {
  it('another account written into the page’s storage with a synthetic focus changes nothing', async () => {
    const ui = await openHome(ADMIN, 'admin123');
    const other = await tokensOf(USER, 'user123');
    await ui.page.evaluate((planted) => {
      const session = JSON.parse(localStorage.getItem('cloudreve_session') ?? '{}') as {
        sessions?: Record<string, unknown>;
      };
      session.sessions = { ...session.sessions, [planted.user.id]: { user: planted.user, token: planted.token } };
      localStorage.setItem('cloudreve_session', JSON.stringify({ ...session, current: planted.user.id }));
      window.dispatchEvent(new FocusEvent('focus'));
    }, other);
    await settle(ui.page);
    expect((await send(extension, 'listServers'))[0]?.account?.email).toBe(ADMIN);

    // Even once the content script reads it (a reload), the page's account is only offered, never taken.
    await ui.page.reload();
    await ui.item('a b.txt').waitFor();
    await ui.select('a b.txt');
    await ui.toolbarArchive.click();
    await ui.accountDialog.waitFor();
    expect(await ui.accountText.textContent()).toContain(`signed in as ${USER}, the extension uses ${ADMIN}`);
    await ui.page.screenshot({ path: `${SHOTS}/account-choice.png` });
    await ui.cancel.click();
    const [server] = await send(extension, 'listServers');
    expect(server).toMatchObject({ account: { email: ADMIN }, pageAccount: { email: USER } });
    await ui.page.close();
  });
});

describe('names that hide or reorder', () => {
  it('bidi controls are shown visibly in the dialog; HTML in names stays text', async () => {
    const ui = await openHome(ADMIN, 'admin123');
    await ui.select(RTL, HTML_NAME);
    await ui.toolbarArchive.click();
    await ui.dialog.waitFor();
    const summary = await ui.summary.textContent();
    expect(summary).toContain('rtl-⟨U+202E⟩gnp.exe');
    expect(summary).toContain(HTML_NAME);
    expect(await shadowElement(ui.page, 'dialog', 'img').count()).toBe(0);
    expect(await ui.page.title()).not.toBe('pwned');
    await ui.cancel.click();
    await ui.page.close();
  });
});

describe('a share link opened without signing in', () => {
  it('a page script can start no share archive: its click opens nothing, its Start does nothing', async () => {
    const { token } = (await tokensOf(ADMIN, 'admin123')) as unknown as { token: { access_token: string } };
    const created = await fetch(`${sandbox.url}/api/v4/share`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify({ uri: 'cloudreve://my/Docs', password: 'sesame' }),
    });
    const link = ((await created.json()) as { data: string }).data;
    const ui = await openHome();
    await ui.page.evaluate(() => localStorage.removeItem('cloudreve_session'));
    await ui.page.goto(link);
    await ui.item('readme.txt').waitFor();
    const before = (await jobs()).length;
    const downloads = () =>
      browser.worker.evaluate(async () => {
        const chrome = (globalThis as unknown as { chrome: { downloads: { search(q: object): Promise<unknown[]> } } })
          .chrome;
        return (await chrome.downloads.search({})).length;
      });
    const downloadsBefore = await downloads();

    // The page's own script clicks our button: no dialog (the anonymous route adds no new way in).
    await ui.select('readme.txt');
    await ui.toolbarArchive.waitFor();
    await clickAsThePage(ui.page);
    await settle(ui.page);
    expect(await ui.dialog.count()).toBe(0);

    // The user's own click opens it; the page's script still cannot press Start.
    await ui.toolbarArchive.click();
    await ui.dialog.waitFor();
    expect(await scriptTheDialog(ui.page)).toEqual({ host: true, root: false, start: false });
    await settle(ui.page);
    expect(await jobs()).toHaveLength(before);
    expect(await downloads()).toBe(downloadsBefore);
    await ui.cancel.click();
    await ui.page.close();
  });
});

it('nothing was written by any attack', () => {
  expect(existsSync(sandbox.pathOf(ADMIN, 'holiday.jpg.zip'))).toBe(false);
  expect(existsSync(sandbox.pathOf(ADMIN, 'a b.txt.zip'))).toBe(false);
});
