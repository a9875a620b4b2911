/**
 * The Archive action on the Cloudreve page, end to end: real Chromium with the
 * built extension, the sandbox's stand-in of the Cloudreve web UI over real
 * HTTP, the content script injected at runtime for the connected origin, and
 * the resulting zips read back by unzip and Python.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import type { ExtensionBrowser } from '../../tools/chromium';
import { send, sendRaw } from '../../tools/extension';
import { sandboxPage } from '../../tools/sandbox-page';
import { finishedJob, startPageRig, zipEntries, type Rig } from '../helpers/rig';

const SHOTS = 'test-results/cloudreve-page';
const ADMIN = 'admin@example.com';
const USER = 'user@example.com';
const MANY = Array.from({ length: 40 }, (_, i) => `many/file ${String(i).padStart(3, '0')}.txt`);

/** The few worker `chrome` APIs these tests call (evaluated functions cannot reference imports). */
interface WorkerChrome {
  tabs: {
    query(query: { url?: string; active?: boolean }): Promise<{ id?: number }[]>;
    sendMessage(tabId: number, message: unknown): Promise<unknown>;
  };
  scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]> };
}

let rig: Rig;
let sandbox: Sandbox;
let browser: ExtensionBrowser;
let extension: Page;

async function openHome(email: string, password: string, width = 1280, height = 800) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  page.on('pageerror', (error) => console.error('[page]', error.message));
  const ui = sandboxPage(page, sandbox.url);
  await ui.signIn(email, password);
  return ui;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  rig = await startPageRig({ extraFiles: Object.fromEntries(MANY.map((path) => [path, `${path}\n`])) });
  ({ sandbox, browser, page: extension } = rig);
});

afterAll(() => rig?.close());

describe('Archive on the Cloudreve page (admin: archive tasks allowed)', () => {
  let ui: ReturnType<typeof sandboxPage>;

  it('toolbar button → dialog → server task; the zip holds exactly the two selected items', async () => {
    ui = await openHome(ADMIN, 'admin123');
    await ui.select('a b.txt', '中文.md');
    await ui.toolbarArchive.waitFor();
    // Placed before the bar's last child, the "more" button.
    expect(
      await ui.toolbar.evaluate((bar) => bar.lastElementChild?.previousElementSibling?.getAttribute('data-testid')),
    ).toBe('cra-toolbar-archive');
    await ui.page.screenshot({ path: `${SHOTS}/01-toolbar-button.png` });

    await ui.toolbarArchive.click();
    await ui.dialog.waitFor();
    expect(await ui.summary.textContent()).toBe('2 items: a b.txt, 中文.md');
    expect(await ui.name.inputValue()).toMatch(/^archive-\d{8}-\d{6}\.zip$/);
    expect(await ui.folder.textContent()).toBe('My files');
    expect(await ui.mode('auto').isChecked()).toBe(true);
    expect(await ui.mode('server').isDisabled()).toBe(false);
    // Focus starts in the name field and Tab stays inside the dialog.
    expect(await ui.page.evaluate(() => document.activeElement?.getAttribute('data-cloudreve-archiver'))).toBe(
      'dialog',
    );
    for (let i = 0; i < 8; i++) await ui.page.keyboard.press('Tab');
    expect(await ui.page.evaluate(() => document.activeElement?.getAttribute('data-cloudreve-archiver'))).toBe(
      'dialog',
    );
    await ui.page.screenshot({ path: `${SHOTS}/02-dialog-light.png` });

    await ui.mode('server').check();
    expect(await ui.startArchive('grid-pick.zip')).toMatch(/created on the server/);
    await ui.page.screenshot({ path: `${SHOTS}/03-dialog-result.png` });
    const job = await finishedJob(extension, 'grid-pick.zip');
    expect(job).toMatchObject({ kind: 'server', status: 'completed' });
    expect(await zipEntries(sandbox.pathOf(ADMIN, 'grid-pick.zip'))).toEqual(['a b.txt', '中文.md']);
    await ui.close.click();
    await expect.poll(() => ui.dialog.count()).toBe(0);
  });

  it('context menu item on an unselected item archives that item only, next to an existing name', async () => {
    writeFileSync(sandbox.pathOf(ADMIN, 'empty.txt.zip'), 'precious');
    // Right-clicking an unselected item replaces the selection (a b.txt, 中文.md are still selected).
    await ui.item('empty.txt').click({ button: 'right' });
    await expect.poll(() => ui.menu.getAttribute('class')).not.toContain('MuiModal-hidden');
    await ui.menuArchive.waitFor();
    // At the end of Cloudreve's first group (open / download), visible without scrolling the menu.
    const items = await ui.menu.locator('li[role=menuitem]').allTextContents();
    expect(items.slice(0, items.indexOf('Archive…') + 1)).toEqual(['Open', 'Open with', 'Download', 'Archive…']);
    await ui.settle();
    await ui.page.screenshot({ path: `${SHOTS}/04-context-menu-item.png` });

    await ui.menuArchive.click();
    await ui.dialog.waitFor();
    await expect.poll(() => ui.menu.getAttribute('class')).toContain('MuiModal-hidden');
    expect(await ui.summary.textContent()).toBe('1 item: empty.txt');
    expect(await ui.name.inputValue()).toBe('empty.txt.zip');
    await ui.start.click();
    expect(await ui.result.textContent()).toMatch(/created on the server/);
    await finishedJob(extension, 'empty.txt (1).zip');
    expect(readFileSync(sandbox.pathOf(ADMIN, 'empty.txt.zip'), 'utf8')).toBe('precious');
    expect(await zipEntries(sandbox.pathOf(ADMIN, 'empty.txt (1).zip'))).toEqual(['empty.txt']);
    await ui.page.keyboard.press('Escape');
    await expect.poll(() => ui.dialog.count()).toBe(0);

    // The closed menu re-renders for other selections without our item; it comes back on the next opening.
    await ui.page.keyboard.press('Escape');
    expect(await ui.menuArchive.count()).toBe(0);
    await ui.item('Docs').click({ button: 'right' });
    await ui.menuArchive.waitFor();
    await ui.page.keyboard.press('Escape');
    await expect.poll(() => ui.menuArchive.count()).toBe(0);
  });

  it('opens from the worker (keyboard command path), in the dark theme, and keeps keys away from the page', async () => {
    await ui.page.emulateMedia({ colorScheme: 'dark' });
    await ui.select('a b.txt');
    await ui.toolbarArchive.waitFor();
    const delivered = await browser.worker.evaluate(async (origin) => {
      const chrome = (globalThis as unknown as { chrome: WorkerChrome }).chrome;
      const [tab] = await chrome.tabs.query({ url: `${origin}/*`, active: true });
      await chrome.tabs.sendMessage(tab!.id!, { type: 'open-archive-dialog' });
      return true;
    }, sandbox.url);
    expect(delivered).toBe(true);
    await ui.dialog.waitFor();
    expect(await ui.summary.textContent()).toMatch(/^\d+ items?: /);
    await ui.settle();
    await ui.page.screenshot({ path: `${SHOTS}/05-dialog-dark.png` });
    // Ctrl+A typed in the dialog selects the text, not every file on the page.
    const before = await ui.page.locator('header.MuiAppBar-root button.Mui-disabled').textContent();
    await ui.name.press('Control+a');
    expect(await ui.page.locator('header.MuiAppBar-root button.Mui-disabled').textContent()).toBe(before);
    // Escape closes our dialog only; the page keeps its selection.
    await ui.name.press('Escape');
    await expect.poll(() => ui.dialog.count()).toBe(0);
    expect(await ui.toolbar.count()).toBe(1);
    await ui.page.emulateMedia({ colorScheme: 'light' });
  });

  it('list view: rows scrolled out of view are still archived (exact selection from the store)', async () => {
    await ui.page.keyboard.press('Escape');
    await ui.item('many').click();
    await ui.item('file 000.txt').waitFor();
    await ui.page.getByRole('button', { name: 'View' }).click();
    await ui.row(0).waitFor();
    await ui.row(0).click({ modifiers: ['Control'] });
    await ui.row(2).click({ modifiers: ['Shift'] });
    await ui.page.locator('[data-virtuoso-scroller]').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await ui.row(MANY.length - 1).waitFor();
    expect(await ui.row(0).count()).toBe(0);
    await ui.toolbarArchive.click();
    expect(await ui.summary.textContent()).toBe('3 items: file 000.txt, file 001.txt, file 002.txt');
    expect(await ui.folder.textContent()).toBe('many');
    expect(await ui.startArchive('list-pick.zip')).toMatch(/created on the server/);
    await finishedJob(extension, 'list-pick.zip');
    expect(await zipEntries(sandbox.pathOf(ADMIN, 'many/list-pick.zip'))).toEqual([
      'file 000.txt',
      'file 001.txt',
      'file 002.txt',
    ]);
    await ui.page.close();
  });

  it('shows a floating button at 500 px, where the toolbar is absent', async () => {
    const narrow = await openHome(ADMIN, 'admin123', 500);
    expect(await narrow.fab.count()).toBe(0);
    await narrow.select('a b.txt', 'Docs');
    await narrow.fab.waitFor();
    expect(await narrow.toolbar.count()).toBe(0);
    await narrow.settle();
    await narrow.page.screenshot({ path: `${SHOTS}/06-floating-button-500px.png` });
    await narrow.fab.click();
    expect(await narrow.summary.textContent()).toBe('2 items: a b.txt, Docs');
    await narrow.page.screenshot({ path: `${SHOTS}/07-dialog-500px.png` });
    await narrow.cancel.click();
    await expect.poll(() => narrow.dialog.count()).toBe(0);
    await narrow.page.locator('[data-testid=explorer]').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => narrow.fab.count()).toBe(0);
    await narrow.page.close();
  });
});

/** Where to right-click a file: the first one, one mid-window, one whose visible part touches the bottom edge. */
type ClickSpot = 'first file' | 'middle' | 'bottom edge';

/** A point on a grid item for `spot`, checked to hit that item (not a gap between cards or the page's bars). */
async function fileSpot(page: Page, spot: ClickSpot): Promise<{ x: number; y: number }> {
  return page.evaluate((spot) => {
    const items = [...document.querySelectorAll('button[data-rect-id]:not([data-rect-id=""])')];
    const spots = items.flatMap((item) => {
      const box = item.getBoundingClientRect();
      const x = Math.round(box.left + box.width / 2);
      if (spot === 'first file') return [{ item, x, y: Math.round(box.top + box.height / 2) }];
      if (spot === 'middle') return box.left > innerWidth / 3 ? [{ item, x, y: Math.round(innerHeight / 2) }] : [];
      // The lowest visible pixels of the window that are still a file.
      return Array.from({ length: 20 }, (_, i) => ({ item, x, y: innerHeight - 3 - 4 * i }));
    });
    const hit = spots.find(({ item, x, y }) => item.contains(document.elementFromPoint(x, y)));
    if (!hit) throw new Error(`no file under the ${spot} spot`);
    return { x: hit.x, y: hit.y };
  }, spot);
}

describe('the menu item fits the window (Cloudreve positions its menu before we add to it)', () => {
  const sizes = [
    { width: 1280, height: 720 },
    { width: 1024, height: 600 },
    { width: 800, height: 480 },
  ];
  const spots: ClickSpot[] = ['first file', 'middle', 'bottom edge'];

  it(`is inside the window and clickable at ${sizes.length} sizes × ${spots.length} click positions`, async () => {
    const ui = await openHome(ADMIN, 'admin123');
    await ui.item('many').click();
    await ui.item('file 000.txt').waitFor();
    const paper = ui.menu.locator('.MuiPaper-root');
    const openMenus = ui.page.locator('body > div.MuiPopover-root.MuiMenu-root:not(.MuiModal-hidden)');
    const misplaced: string[] = [];
    for (const size of sizes) {
      await ui.page.setViewportSize(size);
      for (const spot of spots) {
        const at = await fileSpot(ui.page, spot);
        await ui.page.mouse.click(at.x, at.y, { button: 'right' });
        // A menu moved up can land its "More actions" under the resting pointer, and the hover
        // opens a submenu whose backdrop takes every click: move the pointer away, close it if open.
        await ui.page.mouse.move(1, 1);
        await ui.menuArchive.waitFor();
        // MUI's Grow transition ends with `transform: none`; measure the menu at rest.
        await expect.poll(() => paper.evaluate((el) => getComputedStyle(el).transform)).toBe('none');
        if ((await openMenus.count()) > 1) await ui.page.keyboard.press('Escape');
        await expect.poll(() => openMenus.count()).toBe(1);
        const placed = await ui.page.evaluate(() => {
          const item = document.querySelector('[data-testid=cra-menu-archive]')!;
          const menu = item.closest('.MuiPaper-root')!;
          const [box, menuBox] = [item.getBoundingClientRect(), menu.getBoundingClientRect()];
          const inside = (b: DOMRect) => b.top >= 0 && b.left >= 0 && b.bottom <= innerHeight && b.right <= innerWidth;
          const x = box.left + box.width / 2;
          const hit = (y: number) => item.contains(document.elementFromPoint(x, y));
          return {
            fits: inside(box) && inside(menuBox),
            // Clickable over its whole height, not only its upper half.
            hittable: hit(box.top + 2) && hit(box.top + box.height / 2) && hit(box.bottom - 2),
            item: `${Math.round(box.top)}–${Math.round(box.bottom)}`,
            menu: `${Math.round(menuBox.top)}–${Math.round(menuBox.bottom)}`,
            center: { x, y: box.top + box.height / 2 },
          };
        });
        const where = `${size.width}×${size.height}, ${spot} at y=${at.y}: item ${placed.item}, menu ${placed.menu}`;
        if (spot === 'bottom edge') await ui.page.screenshot({ path: `${SHOTS}/08-menu-${size.height}px.png` });
        if (!placed.fits || !placed.hittable) {
          misplaced.push(where);
          await ui.page.keyboard.press('Escape');
        } else {
          // A real click on the item's middle opens the dialog for the right-clicked file.
          await ui.page.mouse.click(placed.center.x, placed.center.y);
          await ui.dialog.waitFor();
          expect(await ui.summary.textContent(), where).toMatch(/^1 item: file \d{3}\.txt$/);
          await ui.cancel.click();
          await expect.poll(() => ui.dialog.count()).toBe(0);
        }
        await expect.poll(() => ui.menu.getAttribute('class')).toContain('MuiModal-hidden');
      }
    }
    expect(misplaced).toEqual([]);
    await ui.page.close();
  });
});

describe('Archive on the Cloudreve page (user: no archive permission)', () => {
  it('Auto falls back to the browser engine (40007) and the zip still lands', async () => {
    // The extension held the admin's session; the page now signs in as another account.
    // The page's account never replaces it silently: the user is asked, and chooses it, so
    // cloudreve://my/... means this user's files, never the admin's.
    const ui = await openHome(USER, 'user123');
    await ui.select('a b.txt', 'Docs');
    await ui.toolbarArchive.click();
    await ui.accountDialog.waitFor();
    expect(await ui.accountText.textContent()).toBe(
      `This page is signed in as ${USER}, the extension uses ${ADMIN}. Use ${USER} in the extension from now on?`,
    );
    expect((await send(extension, 'listServers'))[0]?.account?.email).toBe(ADMIN);
    await ui.usePageAccount.click();
    await ui.dialog.waitFor();
    expect(await ui.mode('server').isDisabled()).toBe(true);
    expect(await ui.dialog.textContent()).toContain('may not create archives on the server');
    expect(await ui.mode('auto').isChecked()).toBe(true);
    const result = await ui.startArchive('fallback.zip');
    expect(result).toBe(
      'Archiving in the browser (reason: Your user group may not create archives on the server.). Follow it in the extension’s popup.',
    );
    const job = await finishedJob(extension, 'fallback.zip');
    expect(job).toMatchObject({ kind: 'browser', phase: 'done' });
    expect(await zipEntries(sandbox.pathOf(USER, 'fallback.zip'))).toEqual(
      [
        'Docs/',
        'Docs/2024 reports (final)/',
        'Docs/2024 reports (final)/blank.txt',
        'Docs/2024 reports (final)/q1.txt',
        'Docs/2024 reports (final)/q2.txt',
        'Docs/Empty (nested)/',
        'Docs/readme.txt',
        'a b.txt',
      ].sort(),
    );
    expect(existsSync(sandbox.pathOf(ADMIN, 'fallback.zip'))).toBe(false);
    const [server] = await send(extension, 'listServers');
    expect(server?.account?.email).toBe(USER);
    await ui.page.close();
  });
});

describe('other origins', () => {
  let other: Server;
  let otherUrl: string;

  beforeAll(async () => {
    // A page on another loopback port: not a connected server. It mimics the toolbar to tempt a content script.
    other = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        '<header class="MuiAppBar-root"><div class="MuiStack-root"><div class="MuiButtonGroup-root">' +
          '<button class="Mui-disabled" disabled>1 selected</button></div><div>more</div></div></header>',
      );
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    // Chromium keeps its keep-alive sockets open; close() alone would wait for them.
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });

  it('gets no content script, and page-only messages are refused from anywhere else', async () => {
    const registered = await browser.worker.evaluate(() =>
      (globalThis as unknown as { chrome: WorkerChrome }).chrome.scripting.getRegisteredContentScripts(),
    );
    expect([...new Set(registered.flatMap((script) => script.matches ?? []))]).toEqual([`${sandbox.url}/*`]);

    const page = await browser.context.newPage();
    await page.goto(otherUrl);
    // The page-world bridge would answer this request if it were injected.
    const reply = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          window.addEventListener('message', (event) => {
            if (event.data?.kind === 'selection-reply') resolve('answered');
          });
          window.postMessage({ source: 'cloudreve-archiver-bridge', kind: 'selection-request', nonce: 'n' }, '*');
          setTimeout(() => resolve('silent'), 1_000);
        }),
    );
    expect(reply).toBe('silent');
    expect(await page.getByTestId('cra-toolbar-archive').count()).toBe(0);
    await page.close();

    const request = {
      sources: ['cloudreve://my/a%20b.txt'],
      name: 'sneaky.zip',
      destination: { kind: 'cloudreve' as const, folderUri: 'cloudreve://my' },
      mode: 'server' as const,
    };
    expect(await sendRaw(extension, 'archiveFromPage', request)).toMatchObject({
      ok: false,
      error: { code: 'forbidden-origin' },
    });
    expect(await sendRaw(extension, 'reportPageSession', null)).toMatchObject({
      ok: false,
      error: { code: 'forbidden-origin' },
    });
    expect(existsSync(sandbox.pathOf(ADMIN, 'sneaky.zip'))).toBe(false);
  });
});
