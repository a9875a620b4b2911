/**
 * Driving the extension's browse page (entrypoints/browse) from Playwright the
 * way a person would: open folders by clicking, tick checkboxes, press Start.
 * Rows are found by their `data-name`, which holds the server's name as text.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { ExtensionBrowser } from '../../tools/chromium';

export const SCREENSHOT_DIR = path.resolve('test-results');

/** Opens browse.html for a server (and folder) in a new tab. */
export async function openBrowsePage(browser: ExtensionBrowser, serverId?: string, folder = ''): Promise<Page> {
  const page = await browser.context.newPage();
  const params = new URLSearchParams();
  if (serverId) params.set('server', serverId);
  if (folder) params.set('path', folder);
  await page.goto(`chrome-extension://${browser.extensionId}/browse.html?${params}`);
  return page;
}

/** The row of `name` in the current folder (it must be rendered, i.e. in or near the view). */
export function row(page: Page, name: string): Locator {
  return page.locator(`[data-testid="entry"][data-name=${JSON.stringify(name)}]`);
}

/** Names of the rendered rows, top to bottom. */
export async function shownNames(page: Page): Promise<string[]> {
  await page.getByTestId('file-list').waitFor();
  const rows = page.getByTestId('entry');
  const found = await rows.evaluateAll((elements) =>
    elements
      .map((element) => ({ name: element.getAttribute('data-name') ?? '', index: Number(element.dataset.index) }))
      .sort((a, b) => a.index - b.index)
      .map((each) => each.name),
  );
  return found;
}

/** Waits until the listing shows `folder` (the last breadcrumb) and its rows are in. */
export async function waitForFolder(page: Page, label: string): Promise<void> {
  await page.getByTestId('crumb-current').filter({ hasText: label }).waitFor();
  await page.getByTestId('file-list').waitFor();
}

/** Clicks a folder's name and waits for its listing. */
export async function openFolder(page: Page, name: string): Promise<void> {
  await row(page, name).getByTestId('open-folder').click();
  await waitForFolder(page, name);
}

/** Ticks the checkboxes of `names` (plain clicks). */
export async function tick(page: Page, names: string[]): Promise<void> {
  for (const name of names) await row(page, name).getByTestId('entry-check').click();
}

/** Presses Start and waits for the job panel to reach a final phase; answers that phase and its text. */
export async function startAndWait(page: Page, timeoutMs = 60_000): Promise<{ phase: string; text: string }> {
  await page.getByTestId('start').click();
  const status = page.getByTestId('job-status');
  const final = status.and(page.locator('[data-phase="done"], [data-phase="failed"], [data-phase="cancelled"]'));
  await final.waitFor({ timeout: timeoutMs }).catch(async (error: unknown) => {
    const last = await status.getAttribute('data-phase', { timeout: 1000 }).catch(() => 'none');
    const text = await page
      .getByTestId('job-text')
      .textContent({ timeout: 1000 })
      .catch(() => '');
    throw new Error(`The job did not end within ${timeoutMs} ms (phase ${last}: ${text})`, { cause: error });
  });
  return {
    phase: (await status.getAttribute('data-phase')) ?? '',
    text: (await page.getByTestId('job-text').textContent()) ?? '',
  };
}

/** Saves a full-page screenshot as test-results/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
