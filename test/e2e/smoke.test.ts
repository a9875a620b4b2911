import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchExtension, type ExtensionBrowser } from '../../tools/chromium';
import { sendRaw, type ChromeLike } from '../../tools/extension';

let browser: ExtensionBrowser;

beforeAll(async () => {
  browser = await launchExtension();
});
afterAll(async () => {
  await browser?.close();
});

test('the built extension loads, its service worker answers, the popup renders', async () => {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await expect.poll(() => page.getByTestId('popup').isVisible()).toBe(true);

  expect(await sendRaw(page, 'ping')).toEqual({ ok: true, value: { version: '0.1.0', startedAt: expect.any(Number) } });

  const manifest = await browser.worker.evaluate(() =>
    (globalThis as unknown as { chrome: ChromeLike }).chrome.runtime.getManifest(),
  );
  // Host access is never granted up front: only requested at runtime for the user's server.
  expect(manifest.host_permissions ?? []).toEqual([]);
  expect(manifest.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
  await page.screenshot({ path: 'test-results/popup-smoke.png' });
});
