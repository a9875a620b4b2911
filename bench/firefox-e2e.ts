/**
 * P3 end to end in Firefox: the built add-on (.output/firefox-mv3) in Debian's
 * Firefox ESR, driven by puppeteer-core over WebDriver BiDi through the same
 * page API the Firefox e2e tests use (test/helpers/any-browser.ts), archives a
 * folder of a WebDAV server "in the browser" through the browse page's
 * protocol, timed and sampled like the Chromium rows (bench/extension-e2e.ts).
 * The server is connected in the options page as a user does it: in Firefox
 * that click's `permissions.request()` is what grants the loopback host.
 * Needs `npx wxt build -b firefox --mv3`.
 */
import { openBrowser, sendFrom, type TestPage } from '../test/helpers/any-browser';
import { DAV_PASSWORD, DAV_USER, type DavServer } from '../tools/dav-servers';
import { firefoxPssByKind } from '../tools/pss';
import { sessionOf, type ExtensionOptions, type ExtensionSession } from './extension-e2e';

const testId = (id: string) => `[data-testid="${id}"]`;

/** Waits for `probe` to give a value, up to `timeoutMs`. */
async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Firefox bench: not seen in ${timeoutMs / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function openFirefoxSession(
  server: DavServer,
  options: Omit<ExtensionOptions, 'chromiumArgs'> = {},
): Promise<ExtensionSession> {
  const browser = await openBrowser('firefox');
  try {
    const page = (file: string, ready: string) => browser.newPage(`${browser.extensionOrigin}/${file}`, ready);
    const control: TestPage = await page('browse.html', testId('server-select'));
    const connect = await page('options.html', testId('options'));
    await connect.click(testId('show-dav'));
    await connect.fill(testId('dav-url'), server.url);
    await connect.fill(testId('dav-user'), DAV_USER);
    await connect.fill(testId('dav-password'), DAV_PASSWORD);
    await connect.click(testId('dav-submit'));
    const serverId = await until(
      async () => (await sendFrom(control, 'listServers')).find((candidate) => candidate.kind === 'webdav')?.id,
      `the WebDAV server at ${server.url} connected in the options page`,
    );
    await connect.close();
    return sessionOf(
      {
        serverId,
        send: (type, ...args) => sendFrom(control, type, ...args),
        measureMemory: firefoxPssByKind,
        close: () => browser.close(),
      },
      options,
    );
  } catch (error) {
    await browser.close();
    throw error;
  }
}
