/**
 * Launches Debian's Firefox ESR with the built add-on installed, driven by
 * puppeteer-core over WebDriver BiDi (Debian ships no geckodriver, and
 * Playwright's Firefox is a patched build that cannot load add-ons into stock
 * Firefox).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const FIREFOX_EXTENSION_DIR = path.resolve('.output/firefox-mv3');

/** The add-on id fixed in wxt.config.ts (`browser_specific_settings.gecko.id`). */
export const GECKO_ID = 'cloudreve-archiver@cloudreve-archiver.dev';

/** A fixed internal UUID, so tests know the moz-extension:// origin before the add-on starts. */
export const FIREFOX_UUID = '6f1c7a52-1d0e-4c3b-9a8e-2b7d5c4e3f10';

const CANDIDATES = [process.env.FIREFOX_BIN, '/usr/bin/firefox-esr', '/usr/bin/firefox'];

export function firefoxPath(): string {
  const found = CANDIDATES.find((candidate) => candidate && existsSync(candidate));
  if (!found) throw new Error('Firefox not found: apt-get install -y firefox-esr, or set FIREFOX_BIN');
  return found;
}

export interface FirefoxExtension {
  browser: Browser;
  /** `moz-extension://<uuid>` */
  extensionOrigin: string;
  /** Where downloads land (removed on close). */
  downloadDir: string;
  close(): Promise<void>;
}

export async function launchFirefoxExtension(
  options: { extensionDir?: string; locale?: string } = {},
): Promise<FirefoxExtension> {
  const built = options.extensionDir ?? FIREFOX_EXTENSION_DIR;
  if (!existsSync(path.join(built, 'manifest.json'))) {
    throw new Error(`No built add-on in ${built}: run npx wxt build -b firefox --mv3 first`);
  }
  const downloadDir = mkdtempSync(path.join(tmpdir(), 'cra-firefox-downloads-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: firefoxPath(),
    headless: true,
    // Without it, BiDi refuses to open or script moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
      // permissions.request() then grants at once instead of showing a door hanger that BiDi cannot
      // click: the Connect button's own request (with its own pattern) is what gets stored.
      'extensions.webextOptionalPermissionPrompts': false,
      // The background page's console on stdout (seen with DEBUG_FIREFOX=1).
      'devtools.console.stdout.content': true,
      // Downloads go to a scratch folder without asking.
      'browser.download.folderList': 2,
      'browser.download.dir': downloadDir,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.start_downloads_in_tmp_dir': false,
      ...(options.locale && { 'intl.locale.requested': options.locale }),
    },
    dumpio: Boolean(process.env.DEBUG_FIREFOX),
  });
  try {
    await browser.installExtension(built);
  } catch (error) {
    await browser.close();
    rmSync(downloadDir, { recursive: true, force: true });
    throw error;
  }
  return {
    browser,
    extensionOrigin: `moz-extension://${FIREFOX_UUID}`,
    downloadDir,
    async close() {
      await browser.close();
      rmSync(downloadDir, { recursive: true, force: true });
    },
  };
}
