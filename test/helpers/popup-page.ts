/** Page objects for the popup and the options page, driven as ordinary extension pages. */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import type { ExtensionBrowser } from '../../tools/chromium';
import { send } from '../../tools/extension';

type ChromeInWorker = {
  chrome: {
    action: { getBadgeText(details: object): Promise<string> };
    notifications: { getAll(): Promise<Record<string, boolean>> };
    downloads: { search(query: object): Promise<{ filename: string; url: string }[]> };
  };
};

export async function openPopup(browser: ExtensionBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 460, height: 640 });
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await page.getByTestId('popup').waitFor();
  return page;
}

export async function openOptions(browser: ExtensionBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await page.getByTestId('options').waitFor();
  return page;
}

/** Connects the sandbox through the protocol and signs in; answers the server id. */
export async function connectAndSignIn(page: Page, sandbox: Sandbox, email: string, password: string): Promise<string> {
  const serverId = (await send(page, 'addServer', { url: sandbox.url })).id;
  const reply = await send(page, 'login', { serverId, email, password });
  expect(reply.kind).toBe('signed-in');
  return serverId;
}

/** The popup row whose name contains `name`, optionally in one state (data-tone). */
export function taskRow(page: Page, name: string, tone?: string): Locator {
  const selector = tone ? `[data-testid="task-row"][data-tone="${tone}"]` : '[data-testid="task-row"]';
  return page.locator(selector).filter({ has: page.getByTestId('task-name').getByText(name, { exact: true }) });
}

export function badgeText(browser: ExtensionBrowser): Promise<string> {
  return browser.worker.evaluate(() => (globalThis as unknown as ChromeInWorker).chrome.action.getBadgeText({}));
}

export async function notificationIds(browser: ExtensionBrowser): Promise<string[]> {
  return Object.keys(
    await browser.worker.evaluate(() => (globalThis as unknown as ChromeInWorker).chrome.notifications.getAll()),
  );
}

/** Starts an archive task the way the Cloudreve web app does, outside the extension. */
export async function startTaskInCloudreve(
  sandbox: Sandbox,
  credentials: { email: string; password: string },
  task: { src: string[]; dst: string },
): Promise<string> {
  const api = `${sandbox.url}/api/v4`;
  const json = async (response: Response) => {
    const body = (await response.json()) as { code: number; data: never; msg: string };
    if (body.code !== 0) throw new Error(`${response.url}: ${body.code} ${body.msg}`);
    return body.data;
  };
  const session = (await json(
    await fetch(`${api}/session/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    }),
  )) as { token: { access_token: string } };
  const created = (await json(
    await fetch(`${api}/workflow/archive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token.access_token}` },
      body: JSON.stringify(task),
    }),
  )) as { id: string };
  return created.id;
}

/** Finished downloads as the browser records them (Playwright saves them under generated names). */
export function completedDownloads(browser: ExtensionBrowser): Promise<{ filename: string; url: string }[]> {
  return browser.worker.evaluate(async () =>
    (await (globalThis as unknown as ChromeInWorker).chrome.downloads.search({ state: 'complete' })).map(
      ({ filename, url }) => ({ filename, url }),
    ),
  );
}
