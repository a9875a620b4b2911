/**
 * The Archive dialog's folder picker and preview, end to end: real Chromium
 * with the built extension on the sandbox's stand-in of the Cloudreve web UI,
 * the dialog inside our closed shadow root reached through the DevTools
 * protocol (tools/devtools.ts), real clicks and keys. Then the same picker on
 * browse.html over rclone's WebDAV.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictZipLengthRange } from '../../lib/zip/length-range';
import type { Sandbox } from '../../sandbox/server';
import type { ExtensionBrowser } from '../../tools/chromium';
import { DAV_PASSWORD, DAV_USER, seedTree, startRclone, type DavServer } from '../../tools/dav-servers';
import { shadowElement } from '../../tools/devtools';
import { send } from '../../tools/extension';
import { sandboxPage } from '../../tools/sandbox-page';
import { openBrowsePage, row, startAndWait, tick } from '../helpers/browse-page';
import { finishedJob, startPageRig, zipEntries, type Rig } from '../helpers/rig';
import { openPopup, taskRow } from '../helpers/popup-page';
import { pseudoRandom, pythonInspect, unzipTest } from '../integration/zip/helpers';

const ADMIN = 'admin@example.com';
/** A tree whose numbers the preview must show: 3 files, 2 folders (the selected one too), 3,300 bytes. */
const KNOWN: Record<string, string> = {
  'known/a.txt': 'a'.repeat(1000),
  'known/b.md': 'b'.repeat(2000),
  'known/sub/c.jpg': 'c'.repeat(300),
};
const KNOWN_ENTRIES = [
  { name: 'known', kind: 'folder' as const, size: 0, modified: 0 },
  { name: 'known/sub', kind: 'folder' as const, size: 0, modified: 0 },
  { name: 'known/sub/c.jpg', kind: 'file' as const, size: 300, modified: 0 },
  { name: 'known/a.txt', kind: 'file' as const, size: 1000, modified: 0 },
  { name: 'known/b.md', kind: 'file' as const, size: 2000, modified: 0 },
];

/** Parts of 100 KiB ("100K" typed in the dialog's split field). */
const PART = 100 * 1024;
/**
 * Stored files (JPEG is stored as it is, lib/zip/method.ts) of known sizes for a split into parts:
 * `big.jpg` alone is larger than a part, so it gets a part of its own; the others fill two parts.
 */
const SPLIT_TREE: Record<string, Uint8Array> = {
  'splitme/a.jpg': pseudoRandom(45_000, 1),
  'splitme/b.jpg': pseudoRandom(45_000, 2),
  'splitme/big.jpg': pseudoRandom(120_000, 3),
  'splitme/sub/c.jpg': pseudoRandom(30_000, 4),
  'splitme/sub/d.jpg': pseudoRandom(20_000, 5),
};

let rig: Rig;
let sandbox: Sandbox;
let browser: ExtensionBrowser;
let extension: Page;
let rclone: DavServer;

async function openDialogOn(...names: string[]) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  // The stand-in web UI's first load can take long on a loaded machine (nothing here measures speed).
  page.setDefaultTimeout(90_000);
  page.on('pageerror', (error) => console.error('[page]', error.message));
  const ui = sandboxPage(page, sandbox.url);
  await ui.signIn(ADMIN, 'admin123');
  await ui.select(...names);
  await ui.toolbarArchive.click();
  await ui.dialog.waitFor();
  const inDialog = (selector: string) => shadowElement(page, 'dialog', selector);
  return { ui, page, inDialog };
}

beforeAll(async () => {
  rig = await startPageRig({ extraFiles: { ...KNOWN, ...SPLIT_TREE } });
  ({ sandbox, browser, page: extension } = rig);
  rclone = await startRclone();
  seedTree(rclone.dataDir, { 'tree/x.txt': 'x\n', 'tree/y.txt': 'yy\n', 'Docs/kept.txt': 'kept' });
});

afterAll(async () => {
  await rig?.close();
  await rclone?.stop();
});

describe('Archive dialog on the Cloudreve page', () => {
  it("shows the known tree's numbers and archive size before Start", async () => {
    const { page, inDialog } = await openDialogOn('known');
    await inDialog('[data-testid=cra-preview-counts][data-files="3"][data-folders="2"][data-bytes="3300"]').waitFor();
    // Auto with a group that may archive: the server task deflates every file.
    const range = predictZipLengthRange(KNOWN_ENTRIES, 'deflate');
    expect(range.min).toBeLessThan(range.max);
    await inDialog(`[data-testid=cra-preview-size][data-min="${range.min}"][data-max="${range.max}"]`).waitFor();
    expect(await inDialog('[data-testid=cra-preview-counts]').textContent()).toBe(
      'Files: 3 · folders: 2 · size: 3.2 KB',
    );
    // No finished job on this machine yet.
    expect(await inDialog('[data-testid=cra-preview-time]').textContent()).toBe(
      'On the server: no estimate yet · In the browser: no estimate yet',
    );
    expect(await inDialog('[data-testid=cra-start]').isDisabled()).toBe(false);
    await page.close();
  });

  it('picks a folder, creates one on the way (an existing name is refused in the picker), and the archive lands there', async () => {
    const { ui, page, inDialog } = await openDialogOn('known');
    expect(await ui.folder.textContent()).toBe('My files');
    await inDialog('[data-testid=picker-folder][data-name="Docs"]').click();
    await inDialog('[data-testid=picker-current]').waitFor();
    await expect.poll(() => ui.folder.textContent()).toBe('Docs');
    await inDialog('[data-testid=picker-new]').click();
    await inDialog('[data-testid=picker-new-name]').fill('Archives 2026');
    await inDialog('[data-testid=picker-create]').click();
    await expect.poll(() => ui.folder.textContent()).toBe('Archives 2026');
    expect(statSync(sandbox.pathOf(ADMIN, 'Docs/Archives 2026')).isDirectory()).toBe(true);

    // Back to Docs: the same name again is an error in the picker, and nothing changes.
    await inDialog('nav.picker-crumbs > span:nth-child(2) [data-testid=picker-crumb]').click();
    await expect.poll(() => ui.folder.textContent()).toBe('Docs');
    await inDialog('[data-testid=picker-new]').click();
    await inDialog('[data-testid=picker-new-name]').fill('Archives 2026');
    await inDialog('[data-testid=picker-create]').click();
    await inDialog('[data-testid=picker-error]').waitFor();
    expect(await inDialog('[data-testid=picker-error]').textContent()).toBe(
      'Something named “Archives 2026” already exists here. Choose another name.',
    );
    expect(await ui.folder.textContent()).toBe('Docs');

    await inDialog('[data-testid=picker-folder][data-name="Archives 2026"]').click();
    await expect.poll(() => ui.folder.textContent()).toBe('Archives 2026');
    await inDialog('[data-testid=cra-preview-counts]').waitFor();
    expect(await ui.startArchive('picked.zip')).toMatch(/created on the server/);
    await finishedJob(extension, 'picked.zip');
    expect(await zipEntries(sandbox.pathOf(ADMIN, 'Docs/Archives 2026/picked.zip'))).toEqual(
      expect.arrayContaining(['known/a.txt', 'known/b.md', 'known/sub/c.jpg']),
    );
    await page.close();
  });

  it('blocks Start with the reason when the archive cannot fit the free capacity', async () => {
    sandbox.config.capacity = 1;
    try {
      const { page, inDialog } = await openDialogOn('known');
      await inDialog('[data-testid=cra-check-capacity][data-verdict=fails]').waitFor();
      expect(await inDialog('[data-testid=cra-check-capacity]').textContent()).toMatch(
        /^Not enough free space on the server: the archive needs at least .+, your account has 0 B left\. Free up space, archive fewer files, or save it to this computer\.$/,
      );
      expect(await inDialog('[data-testid=cra-start]').isDisabled()).toBe(true);
      await page.close();
    } finally {
      sandbox.config.capacity = 10 * 1024 ** 3;
    }
  });

  it("blocks Start with the reason when the archive is over the folder policy's max_size", async () => {
    sandbox.config.policy.maxSize = 100;
    try {
      const { page, inDialog } = await openDialogOn('known');
      await inDialog('[data-testid=cra-check-max-size][data-verdict=fails]').waitFor();
      expect(await inDialog('[data-testid=cra-check-max-size]').textContent()).toMatch(
        /^This folder’s storage takes files of at most 100 B, and the archive will be at least .+\. Choose another folder, split the archive into parts, or save it to this computer\.$/,
      );
      expect(await inDialog('[data-testid=cra-start]').isDisabled()).toBe(true);
      await page.close();
    } finally {
      sandbox.config.policy.maxSize = 0;
    }
  });

  it("builds in the browser from the preview's listing, without walking again", async () => {
    const { ui, page, inDialog } = await openDialogOn('known');
    await inDialog('[data-testid=cra-preview-counts][data-files="3"]').waitFor();
    // A file added after the preview: a second walk would put it in the zip.
    writeFileSync(sandbox.pathOf(ADMIN, 'known/late.txt'), 'late');
    await ui.mode('browser').click();
    // The dialog starts in the folder of the last Start on this server (issue 15 "Remember"): back to the root.
    expect(await inDialog('[data-testid=picker-current]').textContent()).toBe('Archives 2026');
    await inDialog('nav.picker-crumbs > span:nth-child(1) [data-testid=picker-crumb]').click();
    await expect.poll(() => inDialog('[data-testid=picker-current]').textContent()).toBe('My files');
    expect(await ui.startArchive('reused.zip')).toMatch(/in the browser/);
    const job = await finishedJob(extension, 'reused.zip');
    expect(job.kind === 'browser' && job.phase).toBe('done');
    const entries = await zipEntries(sandbox.pathOf(ADMIN, 'reused.zip'));
    expect(entries).toEqual(['known/', 'known/a.txt', 'known/b.md', 'known/sub/', 'known/sub/c.jpg']);
    await page.close();
  });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('Split into parts through the Archive dialog', () => {
  it('makes three independent zips holding every file once, and the preview names the file bigger than a part', async () => {
    const { ui, page, inDialog } = await openDialogOn('splitme');
    await inDialog('[data-testid=cra-preview-counts][data-files="5"][data-folders="2"]').waitFor();

    // "Parts of a size I choose" (the 4th choice) with the keyboard, as a person would, then 100K.
    const split = inDialog('[data-testid=cra-split]');
    await split.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    expect(await split.inputValue()).toBe('custom');
    await inDialog('[data-testid=cra-split-size]').fill('100K');
    // A split has one route, the browser: the radios show it, "On the server" is neither checked nor choosable.
    expect(await ui.mode('browser').isChecked()).toBe(true);
    expect(await ui.mode('server').isChecked()).toBe(false);
    expect(await ui.mode('server').isDisabled()).toBe(true);

    const parts = inDialog('[data-testid=cra-preview-parts][data-parts="3"][data-oversized="1"]');
    await parts.waitFor();
    expect(await parts.textContent()).toBe(
      'In 3 parts. Larger than a part, so in a part of its own: splitme/big.jpg (117 KB).',
    );

    // Built in the browser by design, not because the server refused anything.
    expect(await ui.startArchive('splitme.zip')).toBe('Archiving in the browser. Follow it in the extension’s popup.');
    const job = await finishedJob(extension, 'splitme.part1.zip', 120_000);
    expect(job.kind === 'browser' && job.phase, JSON.stringify(job.kind === 'browser' && job.error)).toBe('done');

    const root = sandbox.pathOf(ADMIN);
    const names = readdirSync(root)
      .filter((name) => name.startsWith('splitme.'))
      .sort();
    expect(names).toEqual(['splitme.part1.zip', 'splitme.part2.zip', 'splitme.part3.zip']);
    const seen: string[] = [];
    for (const name of names) {
      const zip = path.join(root, name);
      await unzipTest(zip);
      const listed = await pythonInspect(zip);
      expect(listed.bad).toBeNull();
      const here = listed.entries.map((entry) => entry.name);
      const files = here.filter((entry) => entry in SPLIT_TREE);
      // Every part is a zip of its own: python reads and checks its files' bytes without the others.
      const read = await pythonInspect(zip, files);
      for (const file of files) expect(read.sha256[file], file).toBe(sha256(SPLIT_TREE[file]!));
      // A part stays under the part size, unless it is the one holding the larger file alone.
      if (!files.includes('splitme/big.jpg')) expect(readFileSync(zip).length).toBeLessThanOrEqual(PART);
      else expect(files).toEqual(['splitme/big.jpg']);
      seen.push(...here);
    }
    // Every file and folder exactly once across the parts.
    expect(seen.sort()).toEqual([...Object.keys(SPLIT_TREE), 'splitme/', 'splitme/sub/'].sort());
    await page.close();

    // The popup lists the parts.
    const popup = await openPopup(browser);
    const status = taskRow(popup, 'splitme.part1.zip').getByTestId('task-status');
    await expect
      .poll(() => status.textContent())
      .toBe('3 parts: splitme.part1.zip, splitme.part2.zip, splitme.part3.zip · Done');
    await popup.close();
  });
});

/** The rclone server's id in the extension, added on first use. */
async function rcloneServerId(): Promise<string> {
  const known = (await send(extension, 'listServers')).find((server) => server.dav?.url === rclone.url);
  return (
    known?.id ??
    (await send(extension, 'addDavServer', { url: rclone.url, username: DAV_USER, password: DAV_PASSWORD })).id
  );
}

describe('Folder picker on browse.html over WebDAV (rclone)', () => {
  it('creates a folder in the picker, refuses an existing name, and stores the archive there', async () => {
    const serverId = (
      await send(extension, 'addDavServer', { url: rclone.url, username: DAV_USER, password: DAV_PASSWORD })
    ).id;
    const page = await openBrowsePage(browser, serverId);
    await page.getByTestId('file-list').waitFor();
    await tick(page, ['tree']);
    const picker = page.getByTestId('dest-folder');
    await picker.locator('[data-testid=picker-folder][data-name="Docs"]').click();
    await picker.getByTestId('picker-current').filter({ hasText: 'Docs' }).waitFor();
    await picker.getByTestId('picker-new').click();
    await picker.getByTestId('picker-new-name').fill('Out');
    await picker.getByTestId('picker-create').click();
    await picker.getByTestId('picker-current').filter({ hasText: 'Out' }).waitFor();
    expect(statSync(path.join(rclone.dataDir, 'Docs/Out')).isDirectory()).toBe(true);

    await picker.getByTestId('picker-crumb').nth(1).click();
    await picker.getByTestId('picker-current').filter({ hasText: 'Docs' }).waitFor();
    await picker.getByTestId('picker-new').click();
    await picker.getByTestId('picker-new-name').fill('Out');
    await picker.getByTestId('picker-create').click();
    expect(await picker.getByTestId('picker-error').textContent()).toBe(
      'Something named “Out” already exists here. Choose another name.',
    );
    await picker.locator('[data-testid=picker-folder][data-name="Out"]').click();
    await picker.getByTestId('picker-current').filter({ hasText: 'Out' }).waitFor();

    expect(await startAndWait(page)).toMatchObject({ phase: 'done' });
    const stored = path.join(rclone.dataDir, 'Docs/Out/tree.zip');
    expect(existsSync(stored)).toBe(true);
    expect(await zipEntries(stored)).toEqual(['tree/', 'tree/x.txt', 'tree/y.txt']);
    expect(await row(page, 'tree').count()).toBe(1);
    await page.close();
  });

  it("previews the selection, and the job builds from the preview's listing without walking again", async () => {
    seedTree(rclone.dataDir, KNOWN);
    const serverId = await rcloneServerId();
    const page = await openBrowsePage(browser, serverId);
    await page.getByTestId('file-list').waitFor();
    await tick(page, ['known']);
    const counts = page.locator('[data-testid=cra-preview-counts]');
    await counts.waitFor();
    // 3 files, 2 folders (the selected one too), 3,300 bytes: the numbers of KNOWN.
    expect(await counts.getAttribute('data-files')).toBe('3');
    expect(await counts.getAttribute('data-folders')).toBe('2');
    expect(await counts.getAttribute('data-bytes')).toBe('3300');
    expect(await counts.textContent()).toBe('Files: 3 · folders: 2 · size: 3.2 KB');
    const size = page.getByTestId('cra-preview-size');
    const range = {
      min: Number(await size.getAttribute('data-min')),
      max: Number(await size.getAttribute('data-max')),
    };
    expect(await page.getByTestId('cra-preview-time').textContent()).toMatch(/^In the browser: /);
    expect(await page.locator('[data-testid^=cra-check-][data-verdict=fails]').count()).toBe(0);
    expect(await page.getByTestId('start').isEnabled()).toBe(true);

    // A file added after the preview: a second walk would put it in the zip.
    seedTree(rclone.dataDir, { 'known/late.txt': 'late' });
    expect(await startAndWait(page)).toMatchObject({ phase: 'done' });
    const stored = path.join(rclone.dataDir, 'known.zip');
    expect(await zipEntries(stored)).toEqual(['known/', 'known/a.txt', 'known/b.md', 'known/sub/', 'known/sub/c.jpg']);
    const length = statSync(stored).size;
    expect(length).toBeGreaterThanOrEqual(range.min);
    expect(length).toBeLessThanOrEqual(range.max);
    await page.close();
  });

  it('starts a new preview for a new selection', async () => {
    const serverId = await rcloneServerId();
    const page = await openBrowsePage(browser, serverId);
    await page.getByTestId('file-list').waitFor();
    await tick(page, ['tree']);
    await page.locator('[data-testid=cra-preview-counts][data-files="2"][data-bytes="5"]').waitFor();
    await tick(page, ['Docs']);
    // tree (x.txt, y.txt) and Docs (kept.txt and what earlier tests stored there).
    await page.locator('[data-testid=cra-preview-counts][data-folders]:not([data-files="2"])').waitFor();
    const files = Number(await page.getByTestId('cra-preview-counts').getAttribute('data-files'));
    expect(files).toBeGreaterThanOrEqual(3);
    await page.close();
  });
});
