/**
 * What already holds and must keep holding, in real Chromium with the built
 * extension: a page of a foreign origin cannot reach the extension or load
 * its files, cannot frame its pages, and its `postMessage`s in any shape get
 * no answer from the page bridge of a connected origin. Zip entry names never
 * leave the extraction folder.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeName } from '../../lib/zip/names';
import type { Sandbox } from '../../sandbox/server';
import type { ExtensionBrowser } from '../../tools/chromium';
import { send } from '../../tools/extension';
import { startForeignServer, type HostileServer } from '../helpers/hostile-server';
import { startPageRig, type Rig } from '../helpers/rig';

let rig: Rig;
let sandbox: Sandbox;
let foreign: HostileServer;
let browser: ExtensionBrowser;
let extension: Page;

beforeAll(async () => {
  rig = await startPageRig();
  ({ sandbox, browser, page: extension } = rig);
  foreign = await startForeignServer();
  foreign.intercepts.push((_req, url) =>
    url.pathname === '/'
      ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<h1>elsewhere</h1>' }
      : undefined,
  );
});

afterAll(async () => {
  await rig?.close();
  await foreign?.stop();
});

describe('a page of another origin', () => {
  it('cannot message the extension, fetch its files or frame its pages', async () => {
    const page = await browser.context.newPage();
    await page.goto(foreign.url);
    const id = browser.extensionId;
    const reached = await page.evaluate(async (extensionId) => {
      const chrome = (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome;
      const fetched = await fetch(`chrome-extension://${extensionId}/manifest.json`).then(
        () => 'loaded',
        () => 'refused',
      );
      const frame = document.createElement('iframe');
      frame.src = `chrome-extension://${extensionId}/options.html`;
      document.body.append(frame);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return { sendMessage: typeof chrome?.runtime?.sendMessage, fetched };
    }, id);
    expect(reached).toEqual({ sendMessage: 'undefined', fetched: 'refused' });
    const framed = page.frames().find((frame) => frame.url().startsWith(`chrome-extension://${id}`));
    if (framed)
      expect(await framed.evaluate(() => document.querySelector('#root, #app')?.childElementCount ?? 0)).toBe(0);
    else expect(page.frames().map((frame) => frame.url())).not.toContain(`chrome-extension://${id}/options.html`);
    await page.close();
  });

  it('gets no answer from a connected page’s bridge, whatever it posts', async () => {
    const page = await browser.context.newPage();
    await page.goto(foreign.url);
    const answers = await page.evaluate(async (target) => {
      const frame = document.createElement('iframe');
      frame.src = `${target}/home`;
      document.body.append(frame);
      await new Promise((resolve) => frame.addEventListener('load', resolve));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const got: unknown[] = [];
      window.addEventListener('message', (event) => got.push(event.data));
      const shapes = [
        { source: 'cloudreve-archiver-bridge', kind: 'selection-request', nonce: 'n' },
        { source: 'cloudreve-archiver-bridge', kind: 'selection-reply', nonce: 'n', selection: null },
        { protocol: 'cloudreve-archiver/1', type: 'archiveFromPage', args: [] },
        { type: 'open-archive-dialog' },
        'open-archive-dialog',
      ];
      for (const shape of shapes) {
        frame.contentWindow!.postMessage(shape, '*');
        frame.contentWindow!.postMessage(shape, target);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return got;
    }, sandbox.url);
    expect(answers).toEqual([]);
    expect(await send(extension, 'listJobs')).toEqual([]);
    await page.close();
  });
});

describe('zip entry names', () => {
  // Windows drops a segment's trailing dots and spaces (Win32 path normalisation): a segment of only
  // dots and spaces can end up "." or "..".
  const escapes = (name: string) =>
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    /[\\\0]/.test(name) ||
    name.split('/').some((segment) => /^[. ]*$/.test(segment));

  it.each([
    '../../etc/passwd',
    '/etc/passwd',
    'C:\\Windows\\system32\\evil.dll',
    'C:evil.txt',
    '\\\\server\\share\\evil.txt',
    '//server/share/evil.txt',
    'a/../../b.txt',
    'nul\0byte.txt',
    '.. /evil.txt',
    'dir/... /x',
    '. ./x',
  ])('%j stays inside the extraction folder', (name) => {
    let safe: string;
    try {
      safe = sanitizeName(name);
    } catch {
      return; // refused outright: nothing written
    }
    expect(escapes(safe), safe).toBe(false);
  });
});
