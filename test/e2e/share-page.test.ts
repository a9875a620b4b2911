/**
 * Issue 15 "Shares", in real Chromium with the built extension on the sandbox's stand-in page:
 * a share link with a password (`/s/<id>/<password>`, redirected to the web app at
 * `/home?path=cloudreve://<id>:<password>@share`, as Cloudreve's backend does) is opened
 * - by a signed-in user of another account than the owner: the items selected in the share are
 *   archived into the user's own drive (the dialog starts in "My files", never in the share), and
 *   the zip holds exactly those items;
 * - by a visitor who is not signed in: with nothing selected, the whole share is archived in the
 *   browser, read without any token, and saved to this computer; the dialog says why there is no
 *   drive to choose, and the zip holds every file of the share exactly.
 * Zips are checked with unzip -t and Python's zipfile (CRC of every entry, SHA-256 of every file).
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import type { ExtensionBrowser } from '../../tools/chromium';
import { shadowElement } from '../../tools/devtools';
import { send } from '../../tools/extension';
import { sandboxPage, type SandboxPage } from '../../tools/sandbox-page';
import { pythonInspect, unzipTest } from '../integration/zip/helpers';
import { finishedJob, openDialogFromWorker, startPageRig, type PageRig } from '../helpers/rig';

const SHOTS = 'test-results/share-page';
const OWNER = 'admin@example.com';
const VISITOR = 'user@example.com';
/** The shared folder "Holiday" of the owner: awkward names, a nested folder, a binary file. */
const SHARED: Record<string, string | Uint8Array> = {
  'Holiday/notes 1.txt': 'first day\n',
  'Holiday/pics/b (2).jpg': Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251),
  'Holiday/pics/中文.txt': '你好\n',
  'Holiday/pics/deep/c.txt': 'gamma\n',
  'Holiday/left out.txt': 'not selected\n',
};
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
/**
 * The owner's copy differs from the copy every other user is seeded with: a zip made from the
 * visitor's own "Holiday" instead of the share would not match.
 */
const ownersCopy = (name: string) => Buffer.concat([Buffer.from('owner: '), Buffer.from(SHARED[`Holiday/${name}`]!)]);

let rig: PageRig;
let sandbox: Sandbox;
let browser: ExtensionBrowser;
let extension: Page;
let downloads: string;
let link: string;
let ui: SandboxPage;

/** SHA-256 of every file (not folder) in the zip, after unzip -t and Python's testzip() passed. */
async function zipContents(file: string): Promise<Record<string, string>> {
  await unzipTest(file);
  const { entries } = await pythonInspect(file);
  const files = entries.map((entry) => entry.name).filter((name) => !name.endsWith('/'));
  const { bad, sha256: sums } = await pythonInspect(file, files);
  expect(bad).toBeNull();
  return sums;
}

/** What the share holds below `Holiday/`, for the names given, as the zip should hold them. */
function expected(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, sha256(ownersCopy(name))]));
}

const inDialog = (testId: string) => shadowElement(ui.page, 'dialog', `[data-testid=${testId}]`);

/** The keyboard command's path (test/helpers/rig.ts), then the dialog is up. */
async function openFromWorker() {
  await openDialogFromWorker(browser, ui.page, sandbox.url);
  await ui.dialog.waitFor();
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  downloads = await mkdtemp(path.join(tmpdir(), 'cra-share-downloads-'));
  rig = await startPageRig({ extraFiles: SHARED }, { downloadDir: downloads });
  ({ sandbox, browser, page: extension } = rig);
  for (const name of Object.keys(SHARED)) {
    await writeFile(sandbox.pathOf(OWNER, name), ownersCopy(name.slice('Holiday/'.length)));
  }
  // The owner shares the folder with a password; the link is all the visitors know.
  const signIn = await fetch(`${sandbox.url}/api/v4/session/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: OWNER, password: 'admin123' }),
  });
  const { data } = (await signIn.json()) as { data: { token: { access_token: string } } };
  const created = await fetch(`${sandbox.url}/api/v4/share`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${data.token.access_token}` },
    body: JSON.stringify({ uri: 'cloudreve://my/Holiday', password: 'sesame' }),
  });
  link = ((await created.json()) as { data: string }).data;
  expect(link).toMatch(/\/s\/[^/]+\/sesame$/);

  // Chromium's own download manager saves under the name the extension gives (test/e2e/save-download.test.ts).
  const cdp = await browser.context.newCDPSession(extension);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  ui = sandboxPage(page, sandbox.url);
});

afterAll(async () => {
  await rig?.close();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

describe('a share link opened signed in', () => {
  it('archives the selected items of the share into the user’s own drive, exactly those items', async () => {
    await ui.signIn(VISITOR, 'user123');
    await ui.page.goto(link);
    await ui.page.waitForURL(/\/home\?path=cloudreve/);
    expect(new URL(ui.page.url()).searchParams.get('path')).toMatch(/^cloudreve:\/\/[^/]+:sesame@share$/);
    await ui.item('notes 1.txt').waitFor();
    await ui.select('notes 1.txt', 'pics');
    await ui.toolbarArchive.click();
    await ui.dialog.waitFor();
    expect(await ui.summary.textContent()).toBe('2 items: notes 1.txt, pics');
    // The share cannot hold the archive: the picker starts in the user's own drive.
    await expect.poll(() => ui.folder.textContent()).toBe('My files');
    await ui.page.screenshot({ path: `${SHOTS}/01-signed-in-dialog.png` });
    // The user's group may not run archive tasks: Auto makes it in the browser, through the share's URIs.
    expect(await ui.startArchive('from-share.zip')).toMatch(/in the browser/);
    const job = await finishedJob(extension, 'from-share.zip', 120_000);
    expect(job.error).toBeUndefined();
    expect(job).toMatchObject({
      kind: 'browser',
      phase: 'done',
      destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
      account: { email: VISITOR },
    });
    expect(await zipContents(sandbox.pathOf(VISITOR, 'from-share.zip'))).toEqual(
      expected('notes 1.txt', 'pics/b (2).jpg', 'pics/中文.txt', 'pics/deep/c.txt'),
    );
    await ui.close.click();
  });
});

describe('a share link opened by a visitor who is not signed in', () => {
  it('archives the whole share in the browser without a token and saves it to this computer', async () => {
    // Signed out: the app's session is gone from the origin's storage; the page reports it.
    await ui.page.evaluate(() => localStorage.removeItem('cloudreve_session'));
    await ui.page.goto(link);
    await ui.page.waitForURL(/\/home\?path=cloudreve/);
    await ui.item('left out.txt').waitFor();
    await expect
      .poll(async () => (await send(extension, 'listServers'))[0]?.pageAccount, { timeout: 30_000 })
      .toBeUndefined();
    // Every request the page's origin receives from here on: none may carry a token.
    const withToken: string[] = [];
    let apiRequests = 0;
    const unwatch = sandbox.watchRequests((request) => {
      // The share's reads (names, preview, listing, URLs, downloads); the popup's task feed is the extension's own.
      if (!request.url?.startsWith('/api/v4/file')) return;
      apiRequests += 1;
      if (request.headers.authorization) withToken.push(`${request.method} ${request.url}`);
    });

    // Nothing selected: the keyboard command's path offers the whole share.
    await openFromWorker();
    expect(await ui.summary.textContent()).toBe('The whole share “Holiday”, every file in it');
    expect(await ui.name.inputValue()).toBe('Holiday.zip');
    expect(await inDialog('cra-anonymous-hint').textContent()).toMatch(/not signed in on this server/);
    expect(await inDialog('cra-save-here').textContent()).toMatch(/This computer/);
    // Neither a drive to pick nor a server to run it on.
    expect(await ui.folder.count()).toBe(0);
    expect(await ui.mode('server').count()).toBe(0);
    // Split for a download: 4 GiB or a size of one's own; "as large as this folder accepts" means nothing here.
    const splitChoices = await inDialog('cra-split').textContent();
    expect(splitChoices).toContain('Parts of 4 GiB');
    expect(splitChoices).not.toContain('as large as this folder accepts');
    await ui.page.screenshot({ path: `${SHOTS}/02-anonymous-dialog.png` });
    expect(await ui.startArchive('Holiday.zip')).toMatch(/saved to this computer/);
    const job = await finishedJob(extension, 'Holiday.zip', 120_000);
    expect(job.error).toBeUndefined();
    expect(job).toMatchObject({ kind: 'browser', phase: 'done', anonymous: true, destination: { kind: 'download' } });
    expect(job.account).toBeUndefined();
    unwatch();
    // The dialog's names and preview, the listing, the URL batches: all without a token.
    expect(apiRequests).toBeGreaterThan(3);
    expect(withToken).toEqual([]);
    expect(await readdir(downloads)).toEqual(['Holiday.zip']);
    expect(await zipContents(path.join(downloads, 'Holiday.zip'))).toEqual(
      expected('notes 1.txt', 'left out.txt', 'pics/b (2).jpg', 'pics/中文.txt', 'pics/deep/c.txt'),
    );
    await ui.close.click();
  });
});

describe('the owner on their own share link, whose group may run archive tasks', () => {
  it('gets the selected items of the share archived by a server task, into their drive', async () => {
    await ui.signIn(OWNER, 'admin123');
    await ui.page.goto(link);
    await ui.item('pics').waitFor();
    await ui.select('pics');
    await ui.toolbarArchive.click();
    // The extension still acts as the visitor: the page's account is offered, not taken.
    await ui.accountDialog.waitFor();
    await ui.usePageAccount.click();
    await ui.dialog.waitFor();
    await expect.poll(() => ui.folder.textContent()).toBe('My files');
    expect(await ui.mode('auto').isChecked()).toBe(true);
    expect(await ui.startArchive('pics-server.zip')).toMatch(/created on the server/);
    const job = await finishedJob(extension, 'pics-server.zip', 120_000);
    expect(job).toMatchObject({ kind: 'server', status: 'completed', account: { email: OWNER } });
    expect(job.sources).toHaveLength(1);
    expect(job.sources[0]).toMatch(/^cloudreve:\/\/[^/]+:sesame@share\/pics$/);
    // Cloudreve's task names entries from the item's parent, with a leading "/".
    const sums = await zipContents(sandbox.pathOf(OWNER, 'pics-server.zip'));
    expect(Object.fromEntries(Object.entries(sums).map(([name, sum]) => [name.replace(/^\//, ''), sum]))).toEqual(
      expected('pics/b (2).jpg', 'pics/中文.txt', 'pics/deep/c.txt'),
    );
    await ui.close.click();
  });
});
