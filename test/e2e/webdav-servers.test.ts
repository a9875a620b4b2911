/**
 * WebDAV interop through the browse page: real Chromium with the built
 * extension, real servers on loopback (rclone, Apache mod_dav, nginx + dav_ext,
 * and the Cloudreve sandbox's /dav), results checked by unzip and Python.
 * Run `npx wxt build` first.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { openBrowsePage, openFolder, row, screenshot, shownNames, startAndWait, tick } from '../helpers/browse-page';
import { launchExtension, type ExtensionBrowser } from '../../tools/chromium';
import {
  DAV_PASSWORD,
  DAV_USER,
  freePort,
  seedTree,
  startApache,
  startNginx,
  startRclone,
  type DavServer,
} from '../../tools/dav-servers';
import { send, type ChromeLike } from '../../tools/extension';
import { waitForJob } from '../../tools/job-waits';
import { pseudoRandom, pythonInspect, unzipTest } from '../integration/zip/helpers';

const ADMIN = 'admin@example.com';

/** Awkward names: spaces, %, #, &, CJK, emoji, an empty folder, a nested binary. */
const TREE: Record<string, string | Uint8Array | null> = {
  'tree/a b.txt': 'spaces\n',
  'tree/100% done.txt': 'percent\n',
  'tree/#hash & amp.txt': 'hash and ampersand\n',
  'tree/中文 文件.md': '# 中文\n',
  'tree/emoji 😀.txt': 'emoji\n',
  'tree/empty folder': null,
  'tree/sub/deep/data.bin': pseudoRandom(70_000, 7),
  'other.txt': 'not selected\n',
  'tree.zip': 'precious',
};

const TREE_FILES = ['a b.txt', '100% done.txt', '#hash & amp.txt', '中文 文件.md', 'emoji 😀.txt'];

const EXPECTED_ENTRIES: Record<string, number> = {
  'tree/': 0,
  'tree/empty folder/': 0,
  'tree/sub/': 0,
  'tree/sub/deep/': 0,
  'tree/sub/deep/data.bin': 70_000,
  ...Object.fromEntries(TREE_FILES.map((name) => [`tree/${name}`, Buffer.byteLength(TREE[`tree/${name}`] as string)])),
};

let browser: ExtensionBrowser;
let control: Page;
let sandbox: Sandbox;
const servers: Record<string, DavServer> = {};
const serverIds: Record<string, string> = {};

/** Every file under `dir` (relative paths), to prove nothing half-written stays behind. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? [`${prefix}${entry.name}/`, ...filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)]
      : [`${prefix}${entry.name}`],
  );
}

async function connectDav(url: string): Promise<string> {
  return (await send(control, 'addDavServer', { url, username: DAV_USER, password: DAV_PASSWORD })).id;
}

beforeAll(async () => {
  const [rclone, apache, nginx] = await Promise.all([startRclone(), startApache(), startNginx()]);
  Object.assign(servers, { rclone, apache, nginx });
  sandbox = await startSandbox({ page: 'placeholder' });
  for (const server of Object.values(servers)) seedTree(server.dataDir, TREE);
  seedTree(sandbox.pathOf(ADMIN), TREE);
  seedTree(rclone.dataDir, Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`many/file-${i + 1}.txt`, 'x'])));

  browser = await launchExtension({ grantHosts: ['http://127.0.0.1/*'] });
  control = await openBrowsePage(browser);
  for (const name of ['rclone', 'apache', 'nginx'] as const) serverIds[name] = await connectDav(servers[name]!.url);
  const cloudreveId = (await send(control, 'addServer', { url: sandbox.url })).id;
  await send(control, 'login', { serverId: cloudreveId, email: ADMIN, password: 'admin123' });
  const view = await send(control, 'provisionDav', cloudreveId);
  expect(view.dav).toMatchObject({ url: `${sandbox.url}/dav/`, username: ADMIN, flavor: 'cloudreve', readOnly: false });
  serverIds.cloudreve = cloudreveId;
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  await sandbox?.stop();
});

describe.each(['rclone', 'apache', 'nginx', 'cloudreve'])('browse and archive on %s', (name) => {
  const dataDir = () => (name === 'cloudreve' ? sandbox.pathOf(ADMIN) : servers[name]!.dataDir);

  it('shows awkward names, then archives the folder next to itself without overwriting', async () => {
    const page = await openBrowsePage(browser, serverIds[name]);
    await page.getByTestId('file-list').waitFor();
    expect(await shownNames(page)).toEqual(expect.arrayContaining(['tree', 'other.txt', 'tree.zip']));
    expect(await row(page, 'tree').getAttribute('data-kind')).toBe('folder');

    await openFolder(page, 'tree');
    expect(await shownNames(page)).toEqual(['empty folder', 'sub', ...[...TREE_FILES].sort(compareNames)]);
    expect(await row(page, '100% done.txt').getByTestId('entry-size').textContent()).toBe('8 B');
    if (name === 'rclone') await screenshot(page, 'browse-tree');
    await openFolder(page, 'empty folder');
    await page.getByTestId('empty-folder').waitFor();
    await page.getByTestId('crumb').first().click();
    await row(page, 'tree').waitFor();

    await tick(page, ['tree']);
    await expect.poll(() => page.getByTestId('archive-name').inputValue()).toBe('tree.zip');
    // The picker stands at the account's root: no crumb above it.
    await page.getByTestId('dest-folder').getByTestId('picker-current').waitFor();
    expect(await page.getByTestId('dest-folder').getByTestId('picker-crumb').count()).toBe(0);
    expect(await page.getByTestId('dest-server').isChecked()).toBe(true);
    const result = await startAndWait(page);
    expect(result).toEqual({ phase: 'done', text: 'Saved as tree (1).zip' });
    await expect.poll(async () => shownNames(page)).toContain('tree (1).zip');
    if (name === 'rclone') await screenshot(page, 'browse-done');

    expect(readFileSync(path.join(dataDir(), 'tree.zip'), 'utf8')).toBe('precious');
    const zip = path.join(dataDir(), 'tree (1).zip');
    await unzipTest(zip);
    const { bad, entries } = await pythonInspect(zip, ['tree/sub/deep/data.bin']);
    expect(bad).toBeNull();
    expect(Object.fromEntries(entries.map((entry) => [entry.name, entry.size]))).toEqual(EXPECTED_ENTRIES);
    expect(filesUnder(dataDir()).filter((file) => file.includes('.part-'))).toEqual([]);
    await page.close();
  });
});

function compareNames(a: string, b: string): number {
  return new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' }).compare(a, b);
}

describe('the browse page', () => {
  it('selects ranges with shift-click, sorts, and renders a 3000-entry folder windowed', async () => {
    const page = await openBrowsePage(browser, serverIds.rclone);
    await page.getByTestId('file-list').waitFor();
    await screenshot(page, 'browse-root');
    await openFolder(page, 'tree');
    const names = await shownNames(page);
    await tick(page, [names[2]!]);
    await row(page, names[5]!)
      .getByTestId('entry-check')
      .click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('selected-count').textContent()).toBe('4 selected');
    await page.getByTestId('select-all').click();
    await expect.poll(() => page.getByTestId('selected-count').textContent()).toBe(`${names.length} selected`);
    await page.getByTestId('sort-size').click();
    await page.getByTestId('sort-size').click();
    expect((await shownNames(page)).slice(2, 3)).toEqual(['#hash & amp.txt']);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'browse-tree-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Back to name order (the sort stays while moving between folders).
    await page.getByTestId('sort-name').click();
    await page.getByTestId('crumb').first().click();
    const started = Date.now();
    await openFolder(page, 'many');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await page.getByRole('table').getAttribute('aria-rowcount')).toBe('3001');
    expect(await page.getByTestId('entry').count()).toBeLessThan(80);
    await page.getByTestId('file-list').evaluate((element) => (element.scrollTop = element.scrollHeight));
    await row(page, 'file-3000.txt').waitFor();
    expect(await page.getByTestId('entry').count()).toBeLessThan(80);
    await page.getByTestId('select-all').click();
    await expect.poll(() => page.getByTestId('selected-count').textContent()).toBe('3000 selected');
    await page.close();
  });
});

describe('clear failures', () => {
  it('refuses a wrong password and an unreachable server at connect time', async () => {
    await expect(
      send(control, 'addDavServer', { url: servers.rclone!.url, username: DAV_USER, password: 'wrong' }),
    ).rejects.toMatchObject({ code: 'wrong-credentials' });
    const nobody = `http://127.0.0.1:${await freePort()}/`;
    await expect(
      send(control, 'addDavServer', { url: nobody, username: DAV_USER, password: DAV_PASSWORD }),
    ).rejects.toMatchObject({ code: 'network' });
  });

  it('says so on the page when the password changed or the server went down', async () => {
    const htpasswd = path.join(path.dirname(servers.apache!.dataDir), 'htpasswd');
    // mod_authn_file reads the file on every request: the stored password is now wrong.
    expect(spawnSync('htpasswd', ['-cbB', htpasswd, DAV_USER, 'changed']).status).toBe(0);
    const apachePage = await openBrowsePage(browser, serverIds.apache);
    const apacheError = apachePage.getByTestId('error');
    await apacheError.waitFor();
    expect(await apacheError.getAttribute('data-code')).toBe('wrong-credentials');
    expect(await apacheError.textContent()).toMatch(/wrong .*password/i);
    await apachePage.close();

    await servers.nginx!.stop();
    delete servers.nginx;
    const nginxPage = await openBrowsePage(browser, serverIds.nginx);
    const nginxError = nginxPage.getByTestId('error');
    await nginxError.waitFor();
    expect(await nginxError.getAttribute('data-code')).toBe('network');
    expect(await nginxError.textContent()).toMatch(/could not be reached/i);
    await screenshot(nginxPage, 'browse-server-down');
    await nginxPage.close();
  });

  it('recognises a read-only Cloudreve account and writes nothing with it', async () => {
    const ours = sandbox.state.davAccounts.find((account) => account.name === 'Cloudreve Archiver');
    expect(ours).toBeDefined();
    ours!.readonly = true;
    const before = filesUnder(sandbox.pathOf(ADMIN)).sort();

    // Provisioned: the account's option bit is known, the page says so and the worker refuses up front.
    const view = await send(control, 'provisionDav', serverIds.cloudreve!);
    expect(view.dav?.readOnly).toBe(true);
    const page = await openBrowsePage(browser, serverIds.cloudreve);
    await tick(page, ['other.txt']);
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByTestId('read-only').textContent()).toMatch(/can only read/);
    expect(await page.getByTestId('dest-server').isDisabled()).toBe(true);
    expect(await page.getByTestId('dest-download').isChecked()).toBe(true);
    await screenshot(page, 'browse-read-only');
    // reading is still fine: the archive goes to this computer instead.
    // Playwright takes over downloads and stores them under a UUID name, so only the content is checked.
    expect(await startAndWait(page)).toEqual({ phase: 'done', text: expect.stringMatching(/^Downloaded as /) });
    await page.close();
    const saved = await browser.worker.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: ChromeLike }).chrome;
      const [item] = await chrome.downloads.search({ state: 'complete', limit: 1, orderBy: ['-startTime'] });
      return item;
    });
    await unzipTest(saved!.filename);
    const { entries } = await pythonInspect(saved!.filename);
    expect(entries.map((entry) => [entry.name, entry.size])).toEqual([['other.txt', 13]]);

    const refused = await send(control, 'startArchive', {
      serverId: serverIds.cloudreve!,
      sources: ['other.txt'],
      name: 'ro.zip',
      destination: { kind: 'webdav', folder: '' },
      mode: 'browser',
    });
    expect(await waitForJob(control, refused.jobId)).toMatchObject({
      phase: 'failed',
      error: { code: 'read-only', step: 'starting' },
    });

    // Connected as a plain WebDAV server (nothing says read-only up front): the 403 on PUT says it.
    const plainId = (
      await send(control, 'addDavServer', { url: `${sandbox.url}/dav/`, username: ADMIN, password: ours!.password })
    ).id;
    const plain = await openBrowsePage(browser, plainId);
    await tick(plain, ['other.txt']);
    const result = await startAndWait(plain);
    expect(result.phase).toBe('failed');
    expect(result.text).toMatch(/can only read/);
    await plain.close();
    expect(filesUnder(sandbox.pathOf(ADMIN)).sort()).toEqual(before);
  });

  it('reports a full disk (Apache on a 1 MiB tmpfs answers 507) and leaves no temporary file', async () => {
    const apache = await startApache();
    const { dataDir } = apache;
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dataDir]).status).toBe(0);
    try {
      // Truly random bytes: deflate cannot shrink them below the space that is left.
      seedTree(dataDir, { 'big/one.bin': randomBytes(300_000), 'big/two.bin': randomBytes(300_000) });
      const page = await openBrowsePage(browser, await connectDav(apache.url));
      await tick(page, ['big']);
      const result = await startAndWait(page);
      expect(result.phase).toBe('failed');
      expect(result.text).toMatch(/no space left/i);
      await screenshot(page, 'browse-insufficient-storage');
      await page.close();
      expect(filesUnder(dataDir).sort()).toEqual(['big/', 'big/one.bin', 'big/two.bin']);
      expect(statSync(path.join(dataDir, 'big/one.bin')).size).toBe(300_000);
      expect(existsSync(path.join(dataDir, 'big.zip'))).toBe(false);
    } finally {
      spawnSync('umount', [dataDir]);
      await apache.stop();
    }
  });
});
