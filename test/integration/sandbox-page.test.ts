import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensurePageBuilt } from '../../sandbox/page/build';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { totpCode } from '../../sandbox/totp';

// Drives the stand-in Cloudreve page (sandbox/page) in Debian Chromium against the
// real sandbox server and checks the structural contract of docs/cloudreve-web-ui.md.

const SHOTS = 'test-results/sandbox-page';
const TOOLBAR = 'header.MuiAppBar-root .MuiStack-root:has(> .MuiButtonGroup-root > button.Mui-disabled)';
// More than the page's page_size (100), so the folder needs two cursor pages.
const MANY = Array.from({ length: 150 }, (_, i) => `many/file ${String(i).padStart(3, '0')}.txt`);

let sandbox: Sandbox;
let browser: Browser;

/** Reads fileManager[0] through the React fiber of #root, as a MAIN-world script would. */
function readStore(page: Page) {
  return page.evaluate(() => {
    const root = document.getElementById('root') as unknown as Record<string, unknown>;
    const key = Object.keys(root).find((k) => k.startsWith('__reactContainer$'));
    type Fiber = {
      child?: Fiber;
      sibling?: Fiber;
      memoizedProps?: { store?: { getState(): Record<string, unknown> } };
    };
    const stack = [root[key!] as Fiber];
    for (let steps = 1; stack.length > 0; steps++) {
      const fiber = stack.pop()!;
      const state = fiber.memoizedProps?.store?.getState();
      if (state) {
        const fm = (state.fileManager as { path: string; pure_path: string; layout: string; selected: object }[])[0]!;
        return {
          steps,
          keys: Object.keys(state),
          path: fm.path,
          pure_path: fm.pure_path,
          layout: fm.layout,
          selected: Object.keys(fm.selected),
        };
      }
      if (fiber.sibling) stack.push(fiber.sibling);
      if (fiber.child) stack.push(fiber.child);
    }
    return null;
  });
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${sandbox.url}/home`);
  await page.waitForURL('**/session');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

async function newPage(width = 1440, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (err) => console.error('[page]', err.message));
  return page;
}

/** Lets MUI's enter transitions (≤ 300 ms) finish before a screenshot. */
const settle = (page: Page) => page.waitForTimeout(400);

const item = (page: Page, name: string) => page.locator(`button[data-rect-id]:has(p[aria-label="${name}"])`);

beforeAll(async () => {
  await ensurePageBuilt();
  await mkdir(SHOTS, { recursive: true });
  sandbox = await startSandbox({ extraFiles: Object.fromEntries(MANY.map((p) => [p, 'x'])) });
  browser = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', headless: true });
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

describe('sandbox stand-in page', () => {
  it('is built into sandbox/page/dist', () => {
    expect(existsSync('sandbox/page/dist/index.html')).toBe(true);
  });

  it('signs in, selects in the grid, exposes the store and the toolbar, opens the menus and creates an archive', async () => {
    const page = await newPage();
    await signIn(page, 'admin@example.com', 'admin123');
    await page.waitForURL('**/home');
    await item(page, 'a b.txt').waitFor();
    expect(await page.evaluate(() => (window as unknown as { subTitle: string }).subTitle)).toBe('Cloudreve');
    expect(await page.locator('#app-loader').count()).toBe(1);

    const session = await page.evaluate(() => JSON.parse(localStorage.getItem('cloudreve_session')!));
    const uid = session.current as string;
    expect(Object.keys(session.sessions[uid].token).sort()).toEqual([
      'access_expires',
      'access_token',
      'refresh_expires',
      'refresh_token',
    ]);
    expect(session.sessions[uid].settings).toEqual({});

    const names = await page.$$eval('button[data-rect-id] p[aria-label]', (els) =>
      els.map((e) => e.getAttribute('aria-label')),
    );
    expect(names).toEqual(expect.arrayContaining(['Docs', 'a b.txt', '中文.md', 'many']));
    const ids = await page.$$eval('button[data-rect-id]', (els) =>
      els.map((e) => Number(e.getAttribute('data-rect-id'))),
    );
    expect(ids).toEqual(ids.map((_, i) => i));
    expect(await page.locator(TOOLBAR).count()).toBe(0);

    await item(page, 'a b.txt').click({ modifiers: ['Control'] });
    await item(page, '中文.md').click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator(TOOLBAR).count()).toBe(1);
    expect(await page.locator(`${TOOLBAR} button.Mui-disabled`).textContent()).toBe('2 selected');
    expect(
      await page
        .locator(`${TOOLBAR} > .MuiButtonGroup-root button[aria-label]`)
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))),
    ).toEqual(['Download', 'Copy', 'Move', 'Delete']);
    expect(
      await item(page, 'a b.txt').evaluate((el) => (el as HTMLButtonElement & { selected?: boolean }).selected),
    ).toBe(true);
    expect(
      await item(page, 'empty.txt').evaluate((el) => (el as HTMLButtonElement & { selected?: boolean }).selected),
    ).not.toBe(true);
    expect(await item(page, 'a b.txt').locator('svg.MuiSvgIcon-colorPrimary').count()).toBe(1);
    expect(await item(page, 'empty.txt').locator('svg.MuiSvgIcon-colorPrimary').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/02-grid-two-selected.png` });

    const store = await readStore(page);
    expect(store).not.toBeNull();
    expect(store!.steps).toBeLessThan(5);
    expect(store!.keys).toEqual(['siteConfig', 'globalState', 'fileManager']);
    expect(store!.path).toBe('cloudreve://my');
    expect(store!.selected.sort()).toEqual(['cloudreve://my/a%20b.txt', 'cloudreve://my/%E4%B8%AD%E6%96%87.md'].sort());

    // The kept-mounted menu exists while closed and already lists the selection's actions.
    const menu = page.locator('body > div.MuiPopover-root.MuiMenu-root.MuiModal-root').first();
    expect(await menu.getAttribute('class')).toContain('MuiModal-hidden');
    expect(
      await menu.locator('ul.MuiMenu-list[role=menu] > li.MuiMenuItem-root[role=menuitem]').count(),
    ).toBeGreaterThan(0);

    // Right-click on a selected item keeps the selection; the native menu is prevented.
    const prevented = page.evaluate(
      () =>
        new Promise<boolean>((resolve) =>
          document.addEventListener('contextmenu', (e) => setTimeout(() => resolve(e.defaultPrevented)), {
            capture: true,
            once: true,
          }),
        ),
    );
    await item(page, 'a b.txt').click({ button: 'right' });
    expect(await prevented).toBe(true);
    await expect.poll(() => menu.getAttribute('class')).not.toContain('MuiModal-hidden');
    expect(await menu.locator('li[role=menuitem]').allTextContents()).toEqual([
      'Download',
      'Copy',
      'Move',
      'Get direct link',
      'Tags',
      'Organize',
      'More actions',
      'Delete',
    ]);
    await settle(page);
    await page.screenshot({ path: `${SHOTS}/03-contextmenu-open.png` });

    await menu.locator('li[role=menuitem]', { hasText: 'More actions' }).hover();
    const more = page.locator('div.MuiMenu-root:not(.MuiModal-hidden)', { hasText: 'Create archive file' });
    await more.waitFor();
    expect(await page.locator('div.MuiMenu-root').count()).toBe(2);
    await settle(page);
    await page.screenshot({ path: `${SHOTS}/04-more-actions.png` });

    const archiveBody = page
      .waitForRequest((r) => r.url().endsWith('/api/v4/workflow/archive'))
      .then((r) => r.postDataJSON());
    await more.locator('li', { hasText: 'Create archive file' }).click();
    const dialog = page.locator('.MuiDialog-root');
    await expect.poll(() => dialog.locator('input').first().inputValue()).toBe('archive.zip');
    await settle(page);
    await page.screenshot({ path: `${SHOTS}/06-create-archive-dialog.png` });
    await dialog.locator('button', { hasText: 'OK' }).click();
    expect(await archiveBody).toEqual({
      src: ['cloudreve://my/a%20b.txt', 'cloudreve://my/%E4%B8%AD%E6%96%87.md'],
      dst: 'cloudreve://my/archive.zip',
    });
    await page.getByText('Task created.').waitFor();
    // The submenu is not kept mounted: only the main menu remains.
    await expect.poll(() => page.locator('div.MuiMenu-root').count()).toBe(1);
    expect(await menu.getAttribute('class')).toContain('MuiModal-hidden');
    await settle(page);
    await page.screenshot({ path: `${SHOTS}/07-task-created.png` });

    // Right-click on an unselected item replaces the selection.
    await item(page, 'empty.txt').click({ button: 'right' });
    await expect.poll(async () => (await readStore(page))!.selected).toEqual(['cloudreve://my/empty.txt']);
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.getAttribute('class')).toContain('MuiModal-hidden');
    // Escape in the menu only closes it; the next one clears the selection.
    expect((await readStore(page))!.selected).toEqual(['cloudreve://my/empty.txt']);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(TOOLBAR).count()).toBe(0);
    expect(await menu.locator('li[role=menuitem]').count()).toBe(0);

    // Right-click on empty space: prevented too, with the folder actions.
    await page.locator('[data-testid=explorer]').click({ button: 'right', position: { x: 600, y: 700 } });
    await expect.poll(() => menu.getAttribute('class')).not.toContain('MuiModal-hidden');
    expect(await menu.locator('li[role=menuitem]').allTextContents()).toEqual(['New folder', 'Refresh']);
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.locator('li[role=menuitem]').count()).toBe(0);

    await page.getByText('Background Tasks').first().click();
    await page.waitForURL('**/tasks');
    await page.getByText('Create archive file to archive.zip for a b.txt 中文.md').waitFor();
    await page.screenshot({ path: `${SHOTS}/08-tasks.png` });
    await page.close();
  });

  it('opens folders by ?path= and virtualizes the list view while the store keeps off-screen selections', async () => {
    const page = await newPage();
    await signIn(page, 'admin@example.com', 'admin123');
    await item(page, 'many').click();
    await page.waitForURL(/\?path=cloudreve%3A%2F%2Fmy%2Fmany$/);
    await item(page, 'file 000.txt').waitFor();
    expect(await page.evaluate(() => new URL(location.href).searchParams.get('path'))).toBe('cloudreve://my/many');

    const layoutSaved = page.waitForRequest((r) => r.url().endsWith('/api/v4/file/view') && r.method() === 'PATCH');
    await page.getByRole('button', { name: 'View' }).click();
    await layoutSaved;
    const row = (i: number) => page.locator(`div[data-index="${i}"][data-known-size][data-item-index="${i}"]`);
    await row(0).waitFor();
    const rendered = await page.locator('[data-item-index]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(MANY.length);
    expect(
      await row(0).locator('> div.MuiBox-root[draggable=true] div.MuiBox-root[aria-label="file 000.txt"]').count(),
    ).toBe(1);

    await row(0)
      .locator('> div')
      .click({ modifiers: ['Control'] });
    await row(2)
      .locator('> div')
      .click({ modifiers: ['Shift'] });
    expect(
      await row(1)
        .locator('> div')
        .evaluate((el) => (el as HTMLElement & { selected?: boolean }).selected),
    ).toBe(true);
    await expect.poll(() => page.locator(TOOLBAR).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/05-list-view-selected.png` });

    await page.locator('[data-virtuoso-scroller]').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await row(MANY.length - 1).waitFor();
    expect(await row(0).count()).toBe(0);
    const store = await readStore(page);
    expect(store!.layout).toBe('list');
    expect(store!.pure_path).toBe('cloudreve://my/many');
    expect(store!.selected).toEqual([
      'cloudreve://my/many/file%20000.txt',
      'cloudreve://my/many/file%20001.txt',
      'cloudreve://my/many/file%20002.txt',
    ]);

    // Ctrl+A selects every loaded item, including rows that are not in the DOM.
    await page
      .locator('[data-virtuoso-scroller]')
      .click({ position: { x: 5, y: 5 }, modifiers: [] })
      .catch(() => undefined);
    await page.keyboard.press('Control+a');
    await expect.poll(async () => (await readStore(page))!.selected.length).toBe(MANY.length);
    await page.close();
  });

  it('keeps the toolbar at 1000 and 800 px, drops its icon group below 900 px and the bar below 600 px', async () => {
    const page = await newPage(1000, 900);
    await signIn(page, 'admin@example.com', 'admin123');
    await item(page, 'a b.txt').click();
    await expect.poll(() => page.locator(TOOLBAR).count()).toBe(1);
    expect(await page.locator(`${TOOLBAR} button[aria-label=Download]`).count()).toBe(1);
    await page.setViewportSize({ width: 800, height: 900 });
    await expect.poll(() => page.locator(`${TOOLBAR} button[aria-label=Download]`).count()).toBe(0);
    expect(await page.locator(TOOLBAR).count()).toBe(1);
    await page.setViewportSize({ width: 500, height: 900 });
    await page.getByRole('button', { name: 'Clear selection' }).waitFor();
    // Ctrl+click on a folder selects it instead of opening it.
    await item(page, 'Docs').click({ modifiers: ['Control'] });
    await expect.poll(async () => (await readStore(page))!.selected.length).toBe(2);
    expect(new URL(page.url()).search).toBe('');
    expect(await page.locator(TOOLBAR).count()).toBe(0);
    expect(await page.locator('header .MuiBadge-badge').first().textContent()).toBe('2');
    await settle(page);
    await page.screenshot({ path: `${SHOTS}/09-mobile-500px-selected.png` });
    // A plain click on empty space clears the selection.
    await page.locator('[data-testid=explorer]').click({ position: { x: 5, y: 5 } });
    await expect.poll(async () => (await readStore(page))!.selected).toEqual([]);
    expect(await page.getByRole('button', { name: 'Clear selection' }).count()).toBe(0);
    await page.close();
  });

  it('hides "Create archive file" without archive_task and signs in with 2FA', async () => {
    const page = await newPage();
    await signIn(page, 'user@example.com', 'user123');
    await item(page, 'a b.txt').click({ button: 'right' });
    await page.locator('li[role=menuitem]', { hasText: 'More actions' }).hover();
    await page.locator('div.MuiMenu-root:not(.MuiModal-hidden) li', { hasText: 'Copy URI' }).waitFor();
    expect(await page.getByText('Create archive file').count()).toBe(0);
    await page.evaluate(() => localStorage.clear());

    await signIn(page, 'totp@example.com', 'totp123');
    await page.locator('input[name=otp]').fill(totpCode('JBSWY3DPEHPK3PXP'));
    await page.click('button[type=submit]');
    await item(page, 'a b.txt').waitFor();
    await page.close();
  });

  it('refreshes a token close to expiry and signs out on 401', async () => {
    const page = await newPage();
    await signIn(page, 'admin@example.com', 'admin123');
    await item(page, 'a b.txt').waitFor();
    const soon = new Date(Date.now() + 60_000).toISOString();
    const refreshToken = await page.evaluate((expires) => {
      const s = JSON.parse(localStorage.getItem('cloudreve_session')!);
      const token = s.sessions[s.current].token;
      token.access_expires = expires;
      localStorage.setItem('cloudreve_session', JSON.stringify(s));
      return token.refresh_token as string;
    }, soon);
    const refreshed = page.waitForRequest((r) => r.url().endsWith('/api/v4/session/token/refresh'));
    await page.reload();
    expect((await refreshed).postDataJSON()).toEqual({ refresh_token: refreshToken });
    await item(page, 'a b.txt').waitFor();
    const token = await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('cloudreve_session')!);
      return s.sessions[s.current].token;
    });
    expect(Date.parse(token.access_expires)).toBeGreaterThan(Date.parse(soon));

    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('cloudreve_session')!);
      s.sessions[s.current].token.access_token = 'not-a-jwt';
      localStorage.setItem('cloudreve_session', JSON.stringify(s));
    });
    await page.reload();
    await page.waitForURL('**/session');
    const session = await page.evaluate(() => JSON.parse(localStorage.getItem('cloudreve_session')!));
    expect(session.current).toBeUndefined();
    const [stored] = Object.values(session.sessions) as { signedOut: boolean; token: Record<string, string> }[];
    expect(stored!.signedOut).toBe(true);
    expect(Object.values(stored!.token)).toEqual(['', '', '', '']);
    await page.close();
  });
});
