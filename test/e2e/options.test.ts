/**
 * The options page against the sandbox in real Chromium: connect (permission
 * first), sign in with and without 2FA, test the connection, the WebDAV offer
 * for a server that is not Cloudreve, and saving defaults.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { totpCode } from '../../sandbox/totp';
import { launchExtension, type ExtensionBrowser } from '../../tools/chromium';
import { send } from '../../tools/extension';
import { openOptions } from '../helpers/popup-page';

let sandbox: Sandbox;
let plain: Server;
let plainUrl: string;
let browser: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  sandbox = await startSandbox({ page: 'placeholder' });
  // A web server that is not Cloudreve at all.
  plain = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  browser = await launchExtension({ grantHosts: ['http://127.0.0.1/*'] });
  page = await openOptions(browser);
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  await new Promise((resolve) => plain?.close(resolve));
});

const card = () => page.locator('[data-testid="server-card"][data-kind="cloudreve"]');

describe('options page', () => {
  it('connects the sandbox, signs in, tests the connection and signs out', async () => {
    await page.getByTestId('connect-url').fill(sandbox.url);
    await page.getByTestId('connect-submit').click();
    await card().getByTestId('sign-in-form').waitFor();
    expect(await card().getByTestId('server-state').textContent()).toBe('Sign in again');

    await card().getByTestId('sign-in-email').fill('admin@example.com');
    await card().getByTestId('sign-in-password').fill('wrong');
    await card().getByTestId('sign-in-submit').click();
    await expect.poll(() => card().getByTestId('sign-in-error').textContent()).toBe('Wrong email, password or code.');

    await card().getByTestId('sign-in-password').fill('admin123');
    await card().getByTestId('sign-in-submit').click();
    await expect.poll(() => card().getByTestId('server-state').textContent()).toBe('Signed in as admin@example.com');
    expect(await card().getByTestId('perm-archive').getAttribute('data-allowed')).toBe('true');
    expect(await card().getByTestId('perm-webdav').getAttribute('data-allowed')).toBe('true');
    expect(await card().textContent()).toContain('Group: Admin');

    await card().getByTestId('test-connection').click();
    await card().getByTestId('test-result').waitFor();

    await card().getByTestId('sign-out').click();
    await card().getByTestId('sign-in-form').waitFor();
  });

  it('signs in with a second factor', async () => {
    await card().getByTestId('sign-in-email').fill('totp@example.com');
    await card().getByTestId('sign-in-password').fill('totp123');
    await card().getByTestId('sign-in-submit').click();
    await card().getByTestId('sign-in-otp').fill(totpCode('JBSWY3DPEHPK3PXP'));
    await card().getByTestId('sign-in-submit').click();
    await expect.poll(() => card().getByTestId('server-state').textContent()).toBe('Signed in as totp@example.com');
    await page.screenshot({ path: 'test-results/options-light.png', fullPage: true });
  });

  it('offers WebDAV for a server that is not Cloudreve', async () => {
    await page.getByTestId('connect-url').fill(plainUrl);
    await page.getByTestId('connect-submit').click();
    await expect.poll(() => page.getByTestId('connect-error').textContent()).toContain('No Cloudreve v4 server');
    await page.getByTestId('offer-dav').click();
    expect(await page.getByTestId('dav-url').inputValue()).toBe(plainUrl);
    // The sandbox's /dav stands in for "some WebDAV server".
    await page.getByTestId('dav-url').fill(`${sandbox.url}/dav/`);
    await page.getByTestId('dav-user').fill('admin@example.com');
    await page.getByTestId('dav-password').fill('sandboxdavpassword0123456789abcd');
    await page.getByTestId('dav-submit').click();
    const dav = page.locator('[data-testid="server-card"][data-kind="webdav"]');
    await expect.poll(() => dav.getByTestId('server-state').textContent()).toBe('Connected as admin@example.com');
  });

  it('signs in through the image captcha when the server asks for one', async () => {
    sandbox.config.loginCaptcha = true;
    try {
      await card().getByTestId('sign-out').click();
      const image = card().getByTestId('captcha-image');
      await image.waitFor();
      expect(await image.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
      const answer = [...sandbox.state.captchas.values()].at(-1)!;
      await card().getByTestId('sign-in-email').fill('admin@example.com');
      await card().getByTestId('sign-in-password').fill('admin123');
      await card().getByTestId('captcha-answer').fill(answer);
      await card().getByTestId('sign-in-submit').click();
      await expect.poll(() => card().getByTestId('server-state').textContent()).toBe('Signed in as admin@example.com');
    } finally {
      sandbox.config.loginCaptcha = false;
    }
  });

  it('saves the defaults', async () => {
    await page.getByTestId('mode-server').check();
    await page.getByTestId('compression-mode').selectOption('deflate');
    await page.getByTestId('compression-level').fill('9');
    await page.getByTestId('name-template').fill('bundle-{date}.zip');
    await page.getByTestId('notifications').uncheck();
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    expect(await send(page, 'getSettings')).toEqual({
      mode: 'server',
      compression: { mode: 'deflate', level: 9 },
      nameTemplate: 'bundle-{date}.zip',
      notifications: false,
      stopOnUnreadable: false,
    });
    await page.reload();
    expect(await page.getByTestId('name-template').inputValue()).toBe('bundle-{date}.zip');
  });
});
