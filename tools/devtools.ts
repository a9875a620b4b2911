/**
 * What only the DevTools protocol reaches, for browser tests: our page UI in
 * closed shadow roots (a page script cannot reach it; `DOM.getDocument` with
 * `pierce` can), and the content script's isolated world (where a compromised
 * renderer would run its code). Clicks and keys go through Playwright's real
 * input, so the extension sees them as the user's (`isTrusted`).
 */
import type { CDPSession, Page } from 'playwright-core';

interface DomNode {
  nodeId: number;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

const POLL_MS = 100;
const WAIT_MS = 30_000;

async function sessionOf(page: Page, sessions: WeakMap<Page, Promise<CDPSession>>): Promise<CDPSession> {
  let session = sessions.get(page);
  if (!session) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
  }
  return session;
}

const domSessions = new WeakMap<Page, Promise<CDPSession>>();

function findHost(node: DomNode, host: string): DomNode | undefined {
  const attributes = node.attributes ?? [];
  for (let i = 0; i < attributes.length; i += 2) {
    if (attributes[i] === 'data-cloudreve-archiver' && attributes[i + 1] === host) return node;
  }
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const found = findHost(child, host);
    if (found) return found;
  }
  return undefined;
}

/** One element inside our closed shadow root `host` (`data-cloudreve-archiver=host`), found afresh on each use. */
export function shadowElement(page: Page, host: string, selector: string) {
  async function objectId(): Promise<string | undefined> {
    const cdp = await sessionOf(page, domSessions);
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const shadow = findHost(root, host)?.shadowRoots?.[0];
    if (!shadow) return undefined;
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: shadow.nodeId, selector });
    if (!nodeId) return undefined;
    const { object } = await cdp.send('DOM.resolveNode', { nodeId });
    return object.objectId;
  }

  async function call<T>(functionDeclaration: string): Promise<T> {
    const id = await waitForId();
    const cdp = await sessionOf(page, domSessions);
    const { result, exceptionDetails } = await cdp.send('Runtime.callFunctionOn', {
      objectId: id,
      functionDeclaration,
      returnByValue: true,
      awaitPromise: true,
    });
    if (exceptionDetails) throw new Error(`${host} ${selector}: ${exceptionDetails.text}`);
    return result.value as T;
  }

  async function waitForId(): Promise<string> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const id = await objectId();
      if (id) return id;
      if (Date.now() > deadline) throw new Error(`${host} ${selector} did not appear`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  const element = {
    async waitFor(): Promise<void> {
      await waitForId();
    },
    async count(): Promise<number> {
      return (await objectId()) ? 1 : 0;
    },
    textContent: () => call<string>('function () { return this.textContent; }'),
    inputValue: () => call<string>('function () { return this.value; }'),
    isChecked: () => call<boolean>('function () { return this.checked; }'),
    isDisabled: () => call<boolean>('function () { return this.disabled; }'),
    /** A real mouse click at the element's centre. */
    async click(): Promise<void> {
      const box = await call<{ x: number; y: number }>(`function () {
        this.scrollIntoView({ block: 'center' });
        const r = this.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }`);
      await page.mouse.click(box.x, box.y);
    },
    check: () => element.click(),
    async focus(): Promise<void> {
      await call('function () { this.focus(); }');
    },
    /** Replaces the field's text by typing (real key events). */
    async fill(text: string): Promise<void> {
      await call('function () { this.focus(); this.select(); }');
      await page.keyboard.press('Delete');
      if (text) await page.keyboard.insertText(text);
    },
    async press(key: string): Promise<void> {
      await element.focus();
      await page.keyboard.press(key);
    },
  };
  return element;
}

export type ShadowElement = ReturnType<typeof shadowElement>;

/**
 * Runs `expression` in our content script's isolated world on `page`: what a
 * compromised renderer of that origin could run. Answers the value, or the
 * error's text as `{ error }`.
 */
export async function inContentScript(page: Page, expression: string): Promise<unknown> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: { id: number; origin: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await cdp.send('Runtime.enable');
  try {
    const deadline = Date.now() + WAIT_MS;
    let world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.startsWith('chrome-extension://'));
    while (!world) {
      if (Date.now() > deadline) throw new Error('no content script world on this page');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.startsWith('chrome-extension://'));
    }
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      expression,
      contextId: world.id,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails) return { error: exceptionDetails.exception?.description ?? exceptionDetails.text };
    return result.value;
  } finally {
    await cdp.detach();
  }
}
