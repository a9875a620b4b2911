/**
 * One rig for both browsers: the user-flow tests drive Chromium (playwright-core)
 * and Firefox ESR (puppeteer-core over WebDriver BiDi) through the same small
 * page API, so the same test body runs in each.
 *
 * Selectors are CSS and reach into open shadow roots in both (Playwright's CSS
 * engine pierces them; for Puppeteer they are sent as `pierce/` selectors), so
 * a selector must not cross a shadow boundary.
 */
import type { Page as PlaywrightPage } from 'playwright-core';
import type { ElementHandle, Page as PuppeteerPage } from 'puppeteer-core';
import type { WxtBrowser } from 'wxt/browser';
import type { MessageType, ProtocolMap } from '../../lib/messaging/protocol';
import { launchExtension } from '../../tools/chromium';
import { launchFirefoxExtension } from '../../tools/firefox';
import { closedShadowLocator, withClosedShadow } from './closed-shadow';

export type BrowserName = 'chromium' | 'firefox';

export const BROWSERS: BrowserName[] = ['chromium', 'firefox'];

/** The extension API as both browsers expose it to our pages (`browser` in Firefox, `chrome` in both). */
export type ExtensionApi = WxtBrowser;

/** For functions evaluated in an extension page (they cannot reference imports). */
export type WithExtensionApi = { browser?: ExtensionApi; chrome: ExtensionApi };

/** How long waits in these helpers last before failing with what was awaited. */
const WAIT_MS = 30_000;

export interface WaitOptions {
  timeout?: number;
  /** Wait until nothing matches (or nothing visible does). */
  hidden?: boolean;
}

export interface TestPage {
  goto(url: string, readySelector?: string): Promise<void>;
  url(): string;
  waitFor(selector: string, options?: WaitOptions): Promise<void>;
  click(selector: string, options?: { button?: 'right'; ctrl?: boolean }): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  /** Presses a key combination like `Alt+Shift+Z` with the focus where it is. */
  press(keys: string): Promise<void>;
  text(selector: string): Promise<string>;
  attribute(selector: string, name: string): Promise<string | null>;
  count(selector: string): Promise<number>;
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  screenshot(file: string): Promise<void>;
  close(): Promise<void>;
}

export interface TestBrowser {
  name: BrowserName;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>` */
  extensionOrigin: string;
  /** Opens `url` in a new tab; for extension pages, waits for `readySelector` (Firefox reports no load for them). */
  newPage(url?: string, readySelector?: string): Promise<TestPage>;
  /**
   * Runs `fn` with the background's extension API object (Chromium's service worker, Firefox's event
   * page), so what the worker does on a command or menu click can be done the same way.
   * `fn` is sent as source: it must not use anything from its surrounding scope.
   */
  inBackground<A, R>(fn: (api: ExtensionApi, arg: A) => R | Promise<R>, arg: A): Promise<R>;
  close(): Promise<void>;
}

export async function openBrowser(name: BrowserName, options: { grantHostsInChromium?: string[] } = {}) {
  return name === 'chromium' ? openChromium(options.grantHostsInChromium) : openFirefox();
}

async function openChromium(grantHosts: string[] | undefined): Promise<TestBrowser> {
  const launched = await launchExtension({ grantHosts });
  const extensionOrigin = `chrome-extension://${launched.extensionId}`;
  const testBrowser: TestBrowser = {
    name: 'chromium',
    extensionOrigin,
    async newPage(url, readySelector) {
      const raw = await launched.context.newPage();
      const plain = wrapPlaywright(raw);
      const page = withClosedShadow(plain, closedShadowLocator(testBrowser.inBackground, plain.url), raw, WAIT_MS);
      if (url) await page.goto(url, readySelector);
      return page;
    },
    inBackground: (fn, arg) =>
      launched.worker.evaluate(`(${fn.toString()})(chrome, ${JSON.stringify(arg)})`) as Promise<
        Awaited<ReturnType<typeof fn>>
      >,
    close: () => launched.close(),
  };
  return testBrowser;
}

async function openFirefox(): Promise<TestBrowser> {
  const launched = await launchFirefoxExtension();
  let backgroundHost: PuppeteerPage | undefined;
  const testBrowser: TestBrowser = {
    name: 'firefox',
    extensionOrigin: launched.extensionOrigin,
    async newPage(url, readySelector) {
      const raw = await launched.browser.newPage();
      const plain = wrapPuppeteer(raw);
      const page = withClosedShadow(plain, closedShadowLocator(testBrowser.inBackground, plain.url), raw, WAIT_MS);
      if (url) await page.goto(url, readySelector);
      return page;
    },
    async inBackground(fn, arg) {
      // An extension page reaches the event page's window (runtime.getBackgroundPage) and calls the API
      // through the background's own `browser` object, so the browser sees the background as the caller.
      if (!backgroundHost) {
        backgroundHost = await launched.browser.newPage();
        await wrapPuppeteer(backgroundHost).goto(`${launched.extensionOrigin}/popup.html`, '[data-testid="popup"]');
      }
      // `__name`: tsx (the bench) compiles with esbuild's keepNames, whose helper this page lacks.
      return (await backgroundHost.evaluate(
        `(async () => { const __name = (target) => target;` +
          ` const background = await browser.runtime.getBackgroundPage();` +
          ` return (${fn.toString()})(background.browser, ${JSON.stringify(arg)}); })()`,
      )) as Awaited<ReturnType<typeof fn>>;
    },
    close: () => launched.close(),
  };
  return testBrowser;
}

function wrapPlaywright(page: PlaywrightPage): TestPage {
  void page.setViewportSize({ width: 1280, height: 800 });
  return {
    async goto(url, readySelector) {
      await page.goto(url);
      if (readySelector) await this.waitFor(readySelector);
    },
    url: () => page.url(),
    async waitFor(selector, options = {}) {
      await page
        .locator(selector)
        .first()
        .waitFor({ state: options.hidden ? 'hidden' : 'visible', timeout: options.timeout ?? WAIT_MS });
    },
    async click(selector, options = {}) {
      await page
        .locator(selector)
        .first()
        .click({ button: options.button ?? 'left', modifiers: options.ctrl ? ['Control'] : [] });
    },
    fill: (selector, value) => page.locator(selector).first().fill(value),
    press: (keys) => page.keyboard.press(keys),
    async text(selector) {
      return (await page.locator(selector).first().textContent()) ?? '';
    },
    attribute: (selector, name) => page.locator(selector).first().getAttribute(name),
    count: (selector) => page.locator(selector).count(),
    evaluate: (fn, arg) => page.evaluate(fn as (arg: unknown) => Awaited<ReturnType<typeof fn>>, arg),
    async screenshot(file) {
      await page.screenshot({ path: file, fullPage: true });
    },
    close: () => page.close(),
  };
}

function wrapPuppeteer(page: PuppeteerPage): TestPage {
  void page.setViewport({ width: 1280, height: 800 });
  const deep = (selector: string) => `pierce/${selector}`;
  const first = async (selector: string): Promise<ElementHandle<Element>> => {
    const handle = await page.waitForSelector(deep(selector), { timeout: WAIT_MS });
    if (!handle) throw new Error(`No element matches ${selector}`);
    return handle;
  };
  return {
    async goto(url, readySelector) {
      if (readySelector) {
        // Navigations to moz-extension:// pages report no "load" over BiDi: wait for the page's own element.
        page.goto(url).catch(() => undefined);
        // The wait may start in the document being replaced (BiDi then reports a detached frame or a lost
        // context): wait again in the new one.
        const deadline = Date.now() + WAIT_MS;
        for (;;) {
          try {
            await this.waitFor(readySelector, { timeout: Math.max(1, deadline - Date.now()) });
            return;
          } catch (error) {
            if ((error as Error).name === 'TimeoutError' || Date.now() > deadline) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      } else {
        await page.goto(url);
      }
    },
    url: () => page.url(),
    async waitFor(selector, options = {}) {
      await page.waitForSelector(deep(selector), {
        timeout: options.timeout ?? WAIT_MS,
        ...(options.hidden ? { hidden: true } : { visible: true }),
      });
    },
    async click(selector, options = {}) {
      const element = await page.waitForSelector(deep(selector), { timeout: WAIT_MS, visible: true });
      if (!element) throw new Error(`No element matches ${selector}`);
      if (options.ctrl) await page.keyboard.down('Control');
      try {
        await element.click({ button: options.button ?? 'left' });
      } finally {
        if (options.ctrl) await page.keyboard.up('Control');
      }
    },
    async fill(selector, value) {
      const element = await first(selector);
      // Select what is there, then type over it, as a person would.
      await element.click({ count: 3 });
      await element.evaluate((input) => (input as HTMLInputElement).select());
      if (value) await element.type(value);
      else await page.keyboard.press('Backspace');
    },
    async press(keys) {
      const parts = keys.split('+') as Parameters<typeof page.keyboard.down>[0][];
      for (const key of parts) await page.keyboard.down(key);
      for (const key of [...parts].reverse()) await page.keyboard.up(key);
    },
    async text(selector) {
      return (await first(selector)).evaluate((element) => element.textContent ?? '');
    },
    async attribute(selector, name) {
      return (await first(selector)).evaluate((element, attribute) => element.getAttribute(attribute), name);
    },
    async count(selector) {
      return (await page.$$(deep(selector))).length;
    },
    evaluate: (fn, arg) =>
      page.evaluate(fn as (arg: unknown) => Awaited<ReturnType<typeof fn>>, arg) as Promise<
        Awaited<ReturnType<typeof fn>>
      >,
    async screenshot(file) {
      await page.screenshot({ path: file as `${string}.png`, fullPage: true });
    },
    close: () => page.close(),
  };
}

type Reply<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Sends a protocol message from an extension page and returns its value, or throws with the worker's error code. */
export async function sendFrom<K extends MessageType>(
  page: TestPage,
  type: K,
  ...args: Parameters<ProtocolMap[K]>
): Promise<Awaited<ReturnType<ProtocolMap[K]>>> {
  const reply = await page.evaluate(
    ([type, args]) => {
      const scope = globalThis as unknown as WithExtensionApi;
      const api = scope.browser ?? scope.chrome;
      return api.runtime.sendMessage({ protocol: 'cloudreve-archiver/1', type, args }) as Promise<Reply<unknown>>;
    },
    [type, args] as const,
  );
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value as Awaited<ReturnType<ProtocolMap[K]>>;
}
