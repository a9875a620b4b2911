/**
 * The hidden-name tree archived by the extension itself, in Chromium and in
 * Firefox, from rclone, Apache, nginx dav_ext, lighttpd and the sandbox, each
 * connected through the options page as a user does: entry names equal the
 * server's names under the two safety rules only, every zip passes Python's
 * zipfile, `unzip -t` and `7zz t`, and what was left out is listed in the
 * popup's row one click away, with hidden characters written out.
 * (test/integration/faithful-names.test.ts runs the same tree through the engine in Node.)
 * Run `npm run build && npm run build:firefox` first.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../lib/jobs/types';
import { hasJobEnded } from '../../lib/jobs/types';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { DAV_PASSWORD, DAV_USER, seedTree, type DavServer } from '../../tools/dav-servers';
import { BROWSERS, openBrowser, sendFrom, type TestBrowser, type TestPage } from '../helpers/any-browser';
import { DAV_SERVERS, expectedNames, TAB_FILE, tree } from '../helpers/hidden-names';
import { pythonInspect, sevenZipTest, unzipTest } from '../integration/zip/helpers';

const ADMIN = { email: 'admin@example.com', password: 'admin123' };
const testId = (id: string) => `[data-testid="${id}"]`;
const card = (kind: 'cloudreve' | 'webdav') => `[data-testid="server-card"][data-kind="${kind}"]`;

/** Entry names by Python's zipfile after testzip, `unzip -t` and `7zz t` all pass. */
async function checkedNames(zip: string): Promise<string[]> {
  await unzipTest(zip);
  await sevenZipTest(zip);
  const { bad, entries } = await pythonInspect(zip);
  expect(bad).toBeNull();
  return entries.map((entry) => entry.name).sort();
}

/** Polls `probe` until it gives a value (the waits of setup, where expect.poll may not run). */
async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Not seen in ${timeoutMs / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.each(BROWSERS)('the hidden-name tree archived by the extension in %s', (browserName) => {
  let browser: TestBrowser;
  let control: TestPage;
  let sandbox: Sandbox;
  const servers = new Map<string, DavServer>();
  const serverIds = new Map<string, string>();

  const extensionPage = (file: string, ready: string) => browser.newPage(`${browser.extensionOrigin}/${file}`, ready);

  async function finished(jobId: string): Promise<Job> {
    return until(async () => {
      const job = (await sendFrom(control, 'listJobs')).find((candidate) => candidate.id === jobId);
      return job && hasJobEnded(job) ? job : undefined;
    }, `job ${jobId} ended`);
  }

  /** Connects a WebDAV server in the options page (in Firefox, its click grants loopback). */
  async function connectDav(options: TestPage, label: string, url: string): Promise<string> {
    const before = new Set((await sendFrom(control, 'listServers')).map((server) => server.id));
    await options.click(testId('show-dav'));
    await options.fill(testId('dav-url'), url);
    await options.fill(testId('dav-user'), DAV_USER);
    await options.fill(testId('dav-password'), DAV_PASSWORD);
    await options.click(testId('dav-submit'));
    return until(
      async () => (await sendFrom(control, 'listServers')).find((server) => !before.has(server.id))?.id,
      `${label} at ${url} connected`,
    );
  }

  beforeAll(async () => {
    const started = await Promise.all(DAV_SERVERS.map(([, start]) => start()));
    DAV_SERVERS.forEach(([label], i) => servers.set(label, started[i]!));
    for (const server of started) seedTree(server.dataDir, tree());
    const files = Object.fromEntries(
      Object.entries(tree()).filter((pair): pair is [string, string] => pair[1] !== null),
    );
    sandbox = await startSandbox({ page: 'placeholder', extraFiles: files });
    browser = await openBrowser(browserName, { grantHostsInChromium: ['http://127.0.0.1/*'] });
    control = await extensionPage('popup.html', testId('popup'));

    const options = await extensionPage('options.html', testId('options'));
    await options.fill(testId('connect-url'), sandbox.url);
    await options.click(testId('connect-submit'));
    await options.fill(`${card('cloudreve')} ${testId('sign-in-email')}`, ADMIN.email);
    await options.fill(`${card('cloudreve')} ${testId('sign-in-password')}`, ADMIN.password);
    await options.click(`${card('cloudreve')} ${testId('sign-in-submit')}`);
    const state = () => options.text(`${card('cloudreve')} ${testId('server-state')}`);
    await until(async () => (await state()) === `Signed in as ${ADMIN.email}`, 'signed in in the options page');
    serverIds.set('sandbox', (await sendFrom(control, 'listServers'))[0]!.id);
    for (const [label, server] of servers) serverIds.set(label, await connectDav(options, label, server.url));
    await options.close();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([...servers.values()].map((server) => server.stop()));
    await sandbox?.stop();
  });

  it.each(DAV_SERVERS)(
    'from %s: the names on disk under the two safety rules only',
    async (label, _start, leaveOut, listed) => {
      const { jobId } = await sendFrom(control, 'startArchive', {
        serverId: serverIds.get(label)!,
        sources: ['tree'],
        name: `hidden-${browserName}.zip`,
        destination: { kind: 'webdav', folder: '' },
        mode: 'browser',
      });
      const job = await finished(jobId);
      expect(job.error).toBeUndefined();
      if (job.kind !== 'browser') throw new Error('expected a job in the browser');
      expect(job.phase).toBe('done');
      const dataDir = servers.get(label)!.dataDir;
      // The archive under its own name beside the tree, no temporary file left.
      expect(readdirSync(dataDir).sort()).toEqual([`hidden-${browserName}.zip`, 'tree']);
      expect(await checkedNames(`${dataDir}/hidden-${browserName}.zip`)).toEqual(expectedNames(leaveOut, listed));
      expect(job.renamed?.map((entry) => entry.reasons)).toEqual([['backslash'], ['backslash']]);
      expect(job.unreadable?.map((item) => item.path)).toEqual(label === 'lighttpd' ? [`tree/${TAB_FILE}`] : []);
    },
  );

  it('from the sandbox: the same names as on disk', async () => {
    const { jobId } = await sendFrom(control, 'startArchive', {
      serverId: serverIds.get('sandbox')!,
      sources: ['cloudreve://my/tree'],
      name: `hidden-${browserName}.zip`,
      destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
      mode: 'browser',
    });
    const job = await finished(jobId);
    expect(job.error).toBeUndefined();
    const names = await checkedNames(sandbox.pathOf(ADMIN.email, `hidden-${browserName}.zip`));
    // The sandbox seeds no empty folder from extraFiles: everything else is on disk.
    expect(names).toEqual(expectedNames().filter((name) => name !== 'tree/empty folder/'));
  });

  it("lists lighttpd's unreadable file in the popup's row, one click away, with the tab written out", async () => {
    const popup = await extensionPage('popup.html', testId('popup'));
    const row = `${testId('task-row')}:has(${testId('task-unreadable')})`;
    await popup.waitFor(row);
    expect(await popup.count(row)).toBe(1);
    expect(await popup.text(`${row} ${testId('task-unreadable')} summary`)).toBe('1 file could not be read');
    const details = `${row} ${testId('task-unreadable')}`;
    const list = `${details} li`;
    expect(await popup.attribute(details, 'open')).toBeNull();
    await popup.click(`${details} summary`);
    await popup.waitFor(list);
    expect(await popup.text(list)).toBe(
      'tree/tab⟨U+0009⟩name.txt — The WebDAV server answered with an error: WebDAV GET answered HTTP 400',
    );
    // The opened list pushes the rows below down: nothing of it is cut off or drawn over.
    const layout = () =>
      popup.evaluate(() => {
        const opened = document.querySelector('details[open]')!;
        const row = opened.closest('li')!;
        const box = row.getBoundingClientRect();
        const others = [...document.querySelectorAll('li.vlist-row')].filter((other) => other !== row);
        return {
          clipped: opened.getBoundingClientRect().bottom > box.bottom + 0.5,
          overlapped: others.some((other) => {
            const rect = other.getBoundingClientRect();
            return rect.top < box.bottom - 0.5 && rect.bottom > box.top + 0.5;
          }),
        };
      }, null);
    await expect.poll(layout, { timeout: 10_000 }).toEqual({ clipped: false, overlapped: false });
    await popup.screenshot(`test-results/faithful-names-popup-${browserName}.png`);
    await popup.close();
  });
});
