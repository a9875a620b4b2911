/**
 * The usual browser-test rig: the Cloudreve sandbox, Chromium with the built
 * extension (loopback access pre-granted), and one extension page to talk to
 * the worker from.
 */
import type { Page } from 'playwright-core';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server';
import { launchExtension, type ExtensionBrowser, type LaunchOptions } from '../../tools/chromium';

export interface Rig {
  sandbox: Sandbox;
  browser: ExtensionBrowser;
  /** The popup opened as a page: an extension page that may send every `extension` message. */
  page: Page;
  close(): Promise<void>;
}

export async function startRig(options: SandboxOptions = {}, launch: LaunchOptions = {}): Promise<Rig> {
  const sandbox = await startSandbox({ page: 'placeholder', ...options });
  const browser = await launchExtension({ grantHosts: ['http://127.0.0.1/*'], ...launch });
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  return {
    sandbox,
    browser,
    page,
    async close() {
      await browser.close();
      await sandbox.stop();
    },
  };
}
