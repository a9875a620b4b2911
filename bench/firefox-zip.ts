/**
 * P1's zip stage in Firefox: the same page bench/browser-zip.ts builds and
 * serves for Chromium (the extension's lib/ modules: read-ahead, writer,
 * default deflater, OPFS spool), opened in Debian's Firefox ESR driven by
 * puppeteer-core over WebDriver BiDi (tools/firefox.ts). Loopback is a secure
 * context in Firefox too, so OPFS and CompressionStream are there; the profile
 * Puppeteer makes lives on disk, as a user's does.
 */
import puppeteer from 'puppeteer-core';
import type { SourceEntry } from '../lib/archive/types';
import { firefoxPath } from '../tools/firefox';
import { serveZipPage, type BrowserZip } from './browser-zip';

export async function startFirefoxZip(entries: SourceEntry[]): Promise<BrowserZip> {
  const served = await serveZipPage(entries);
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: firefoxPath(),
      headless: true,
    });
    try {
      const page = (await browser.pages())[0] ?? (await browser.newPage());
      await page.goto(served.url);
      await page.waitForFunction(() => 'runZip' in globalThis);
      // "Mozilla Firefox 153.8.0esr"-like → the version alone, as the Chromium row shows it.
      const version = (await browser.version()).split('/').pop() ?? 'unknown';
      return {
        version,
        ...served.calls(
          <A, R>(fn: (arg: A) => R | Promise<R>, arg: A) =>
            page.evaluate(fn as (arg: unknown) => R | Promise<R>, arg) as Promise<R>,
        ),
        async close() {
          await browser.close();
          await served.close();
        },
      };
    } catch (error) {
      await browser.close();
      throw error;
    }
  } catch (error) {
    await served.close();
    throw error;
  }
}
