/**
 * Upgrading from 0.1.0, which kept tokens and WebDAV passwords inside the
 * server records in `storage.local`: after the update the user keeps every
 * server and sign-in, and the secrets have left `storage.local` for the
 * background's own store (lib/servers/secret-store.ts).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { launchExtension, type ExtensionBrowser } from '../../tools/chromium';
import { send } from '../../tools/extension';

let sandbox: Sandbox;
let browser: ExtensionBrowser;

interface LocalArea {
  get(key: null): Promise<Record<string, unknown>>;
  set(items: object): Promise<void>;
}

beforeAll(async () => {
  sandbox = await startSandbox({ page: 'placeholder' });
  browser = await launchExtension({ grantHosts: ['http://127.0.0.1/*'] });
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** An extension page talking to a worker started after `startedAt`. */
async function newWorkerPage(startedAt: number): Promise<Page> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const page = await browser.context.newPage();
    try {
      await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
      if ((await send(page, 'ping')).startedAt !== startedAt) return page;
    } catch {
      // Still reloading.
    }
    await page.close();
    if (Date.now() > deadline) throw new Error('the extension did not come back after reload');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function extensionPage(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  return page;
}

it('keeps the servers and sign-ins an older version stored, and moves their secrets out of storage.local', async () => {
  const login = await fetch(`${sandbox.url}/api/v4/session/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@example.com', password: 'admin123' }),
  });
  const { token } = ((await login.json()) as { data: { token: unknown } }).data;
  // Exactly what 0.1.0 wrote: secrets inside the records.
  const legacy = [
    {
      id: 'cloudreve-1',
      origin: sandbox.url,
      kind: 'cloudreve',
      label: new URL(sandbox.url).host,
      addedAt: 1,
      version: '4.0.0',
      authState: 'signed-in',
      account: { email: 'admin@example.com', nickname: 'admin', group: 'Admin' },
      token,
    },
    {
      id: 'dav-1',
      origin: 'http://127.0.0.1:9',
      kind: 'webdav',
      label: 'u @ 127.0.0.1:9',
      addedAt: 2,
      dav: { url: 'http://127.0.0.1:9/dav/', username: 'u', password: 'legacy-password', flavor: 'generic' },
    },
  ];
  const before = await extensionPage();
  await before.evaluate(async (servers) => {
    await (globalThis as unknown as { chrome: { storage: { local: LocalArea } } }).chrome.storage.local.set({
      servers,
    });
  }, legacy);

  // The update: a new worker (`startedAt` tells it apart) starts with the new code over the old data.
  const { startedAt } = await send(before, 'ping');
  const cdp = await browser.context.newCDPSession(before);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  const after = await newWorkerPage(startedAt);

  const servers = await send(after, 'listServers');
  expect(servers.map((server) => [server.id, server.authState ?? null])).toEqual([
    ['cloudreve-1', 'signed-in'],
    ['dav-1', null],
  ]);
  expect(servers[1]?.dav).toMatchObject({ url: 'http://127.0.0.1:9/dav/', username: 'u' });
  // The token still works: the server answers for the same account.
  const tested = await send(after, 'testConnection', 'cloudreve-1');
  expect(tested).toMatchObject({ authState: 'signed-in', account: { email: 'admin@example.com' } });

  const stored = JSON.stringify(
    await after.evaluate(() =>
      (globalThis as unknown as { chrome: { storage: { local: LocalArea } } }).chrome.storage.local.get(null),
    ),
  );
  expect(stored).toContain('cloudreve-1');
  expect(stored).not.toMatch(/access_token|refresh_token|legacy-password/);
});
