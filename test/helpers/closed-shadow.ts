/**
 * Reaches the extension's own elements on a Cloudreve page in both browsers. The dialog, the
 * floating button and the toast live in CLOSED shadow roots (SECURITY.md: page scripts must not
 * script them), so neither Playwright's CSS engine nor Puppeteer's `pierce/` sees inside. The
 * extension itself can: `scripting.executeScript` runs a function in its isolated world on the
 * tab, where Chromium offers `chrome.dom.openOrClosedShadowRoot()` and Firefox the
 * `Element.openOrClosedShadowRoot` property (MDN: "only available to WebExtensions"). The
 * function answers where the element is; the test then clicks and types there with the
 * browser's real input, so the page sees trusted events as from a person.
 */
import type { ExtensionApi } from './any-browser';

/** What the isolated world reports about the first element matching a selector. */
export interface Located {
  count: number;
  x: number;
  y: number;
  visible: boolean;
  text: string;
  attributes: Record<string, string>;
}

export type LocateAction = 'look' | 'scroll' | 'select';

/** Our own elements are the ones with `cra-` test ids; everything else is the page's. */
export const isOurs = (selector: string) => selector.includes('data-testid="cra-');

type InBackground = <A, R>(fn: (api: ExtensionApi, arg: A) => R | Promise<R>, arg: A) => Promise<R>;

/**
 * A locator bound to the tab showing `pageUrl()`, run through the background's scripting API. The
 * function for the page is written inline: `inBackground` sends its source as text, and the
 * background (CSP: no eval) can only hand `executeScript` a function that is part of that text.
 */
export function closedShadowLocator(inBackground: InBackground, pageUrl: () => string) {
  return async (selector: string, action: LocateAction = 'look'): Promise<Located> =>
    inBackground(
      async (api, arg) => {
        const tabs = await api.tabs.query({});
        const tab = tabs.find((candidate) => candidate.url === arg.url);
        if (tab?.id === undefined) throw new Error(`no tab shows ${arg.url}`);
        const [injection] = await api.scripting.executeScript({
          target: { tabId: tab.id },
          args: [arg.selector, arg.action],
          // Runs in the content script's world: searches the document and every closed root of ours.
          func: (selector: string, action: string) => {
            const scope = globalThis as unknown as {
              chrome?: { dom?: { openOrClosedShadowRoot?(element: Element): ShadowRoot | null } };
            };
            const hosts = [...document.querySelectorAll('[data-cloudreve-archiver]')];
            const roots: ParentNode[] = [document];
            // No named function in here: tsx (the bench) compiles with esbuild's keepNames, which wraps
            // each one in a `__name()` call that does not exist in the tab this source is sent to.
            for (const host of hosts) {
              const root =
                scope.chrome?.dom?.openOrClosedShadowRoot?.(host) ??
                (host as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ??
                host.shadowRoot;
              if (root) roots.push(root);
            }
            const all = roots.flatMap((root) => [...root.querySelectorAll(selector)]);
            const element = all[0] as HTMLElement | undefined;
            if (!element) return { count: 0, x: 0, y: 0, visible: false, text: '', attributes: {} };
            if (action === 'scroll') element.scrollIntoView({ block: 'center' });
            if (action === 'select') {
              element.focus();
              (element as HTMLInputElement).select?.();
            }
            const rect = element.getBoundingClientRect();
            const style = getComputedStyle(element);
            const attributes: Record<string, string> = {};
            for (const attribute of [...element.attributes]) attributes[attribute.name] = attribute.value;
            return {
              count: all.length,
              x: rect.left + rect.width / 2,
              y: rect.top + rect.height / 2,
              visible: rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden' && style.display !== 'none',
              text: element.textContent ?? '',
              attributes,
            };
          },
        });
        return injection!.result as Located;
      },
      { url: pageUrl(), selector, action },
    );
}

/** The real input both drivers offer (Playwright's and Puppeteer's `page.mouse` / `page.keyboard`). */
export interface RealInput {
  mouse: { click(x: number, y: number, options?: { button?: 'left' | 'right' }): Promise<void> };
  keyboard: {
    down(key: string): Promise<void>;
    up(key: string): Promise<void>;
    type(text: string): Promise<void>;
    press(key: string): Promise<void>;
  };
}

type Locate = ReturnType<typeof closedShadowLocator>;

/**
 * `page` with our own elements (see `isOurs`) on web pages reached through `locate` and driven by
 * real input; everything else goes to `page` as before.
 */
export function withClosedShadow<P extends ShadowAwarePage>(
  page: P,
  locate: Locate,
  input: RealInput,
  waitMs: number,
): P {
  const ours = (selector: string) => isOurs(selector) && /^https?:/.test(page.url());
  const until = async (selector: string, done: (found: Located) => boolean, timeout = waitMs) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = await locate(selector);
      if (done(found)) return found;
      if (Date.now() > deadline) throw new Error(`${selector}: not as awaited within ${timeout} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const visible = (found: Located) => found.count > 0 && found.visible;
  const clickAt = async (selector: string, options: { button?: 'right'; ctrl?: boolean } = {}) => {
    await until(selector, visible);
    const at = await locate(selector, 'scroll');
    if (options.ctrl) await input.keyboard.down('Control');
    try {
      await input.mouse.click(at.x, at.y, { button: options.button ?? 'left' });
    } finally {
      if (options.ctrl) await input.keyboard.up('Control');
    }
  };
  return {
    ...page,
    async waitFor(selector, options = {}) {
      if (!ours(selector)) return page.waitFor(selector, options);
      await until(selector, (found) => (options.hidden ? !visible(found) : visible(found)), options.timeout);
    },
    click: (selector, options) => (ours(selector) ? clickAt(selector, options) : page.click(selector, options)),
    async fill(selector, value) {
      if (!ours(selector)) return page.fill(selector, value);
      await clickAt(selector);
      await locate(selector, 'select');
      if (value) await input.keyboard.type(value);
      else await input.keyboard.press('Backspace');
    },
    async text(selector) {
      if (!ours(selector)) return page.text(selector);
      return (await until(selector, (found) => found.count > 0)).text;
    },
    async attribute(selector, name) {
      if (!ours(selector)) return page.attribute(selector, name);
      return (await until(selector, (found) => found.count > 0)).attributes[name] ?? null;
    },
    count: async (selector) => (ours(selector) ? (await locate(selector)).count : page.count(selector)),
  };
}

/** The part of the test page API this layer changes. */
export interface ShadowAwarePage {
  url(): string;
  waitFor(selector: string, options?: { timeout?: number; hidden?: boolean }): Promise<void>;
  click(selector: string, options?: { button?: 'right'; ctrl?: boolean }): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  text(selector: string): Promise<string>;
  attribute(selector: string, name: string): Promise<string | null>;
  count(selector: string): Promise<number>;
}
