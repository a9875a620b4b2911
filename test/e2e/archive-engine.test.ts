/**
 * The in-browser engine end to end: real Chromium with the built extension,
 * the Cloudreve sandbox over real HTTP, output checked by unzip and Python.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import type { ExtensionBrowser } from '../../tools/chromium';
import { startRig, type Rig } from '../helpers/rig';
import { send, type ChromeLike } from '../../tools/extension';
import { waitForJob } from '../../tools/job-waits';
import { pythonInspect, unzipTest } from '../integration/zip/helpers';

let rig: Rig;
let sandbox: Sandbox;
let browser: ExtensionBrowser;
let page: Page;
let serverId: string;

const USER = 'user@example.com';

beforeAll(async () => {
  rig = await startRig();
  ({ sandbox, browser, page } = rig);
  serverId = (await send(page, 'addServer', { url: sandbox.url })).id;
  const reply = await send(page, 'login', { serverId, email: USER, password: 'user123' });
  expect(reply.kind).toBe('signed-in');
});

afterAll(async () => {
  await rig?.close();
});

describe('archive from the browser when the server cannot', () => {
  it('falls back on 40007 (no archive permission), zips over REST and uploads without overwriting', async () => {
    // An archive of that name already exists: it must stay untouched.
    writeFileSync(sandbox.pathOf(USER, 'picked.zip'), 'precious');

    const started = await send(page, 'startArchive', {
      serverId,
      sources: [
        'cloudreve://my/Docs',
        'cloudreve://my/a%20b.txt',
        'cloudreve://my/%E4%B8%AD%E6%96%87.md',
        'cloudreve://my/Empty%20folder',
      ],
      name: 'picked.zip',
      destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
      mode: 'auto',
    });
    expect(started.kind).toBe('browser');
    expect(started.fallbackReason).toMatch(/compress/i);

    const job = await waitForJob(page, started.jobId);
    expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { name: 'picked (1).zip' } });
    expect(readFileSync(sandbox.pathOf(USER, 'picked.zip'), 'utf8')).toBe('precious');

    const zip = sandbox.pathOf(USER, 'picked (1).zip');
    expect(statSync(zip).size).toBe(job.kind === 'browser' ? job.result?.size : -1);
    await unzipTest(zip);
    const { bad, entries } = await pythonInspect(zip);
    expect(bad).toBeNull();
    const byName = Object.fromEntries(entries.map((entry) => [entry.name, entry]));
    expect(Object.keys(byName).sort()).toEqual(
      [
        'Docs/',
        'Docs/2024 reports (final)/',
        'Docs/2024 reports (final)/blank.txt',
        'Docs/2024 reports (final)/q1.txt',
        'Docs/2024 reports (final)/q2.txt',
        'Docs/Empty (nested)/',
        'Docs/readme.txt',
        'Empty folder/',
        'a b.txt',
        '中文.md',
      ].sort(),
    );
    for (const name of ['Docs/readme.txt', 'a b.txt', '中文.md', 'Docs/2024 reports (final)/q1.txt']) {
      expect(byName[name]!.size, name).toBe(statSync(sandbox.pathOf(USER, name)).size);
    }
    // Times come from the server's updated_at (2024-05-01T12:00:00Z), as DOS local time of the writer.
    expect(byName['a b.txt']!.date_time.slice(0, 3)).toEqual([2024, 5, 1]);
  });

  it('reports a clear error for "on the server" mode when the group lacks archive_task', async () => {
    await expect(
      send(page, 'startArchive', {
        serverId,
        sources: ['cloudreve://my/a%20b.txt'],
        name: 'server.zip',
        destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
        mode: 'server',
      }),
    ).rejects.toMatchObject({ code: 'group-not-allowed' });
    expect(existsSync(sandbox.pathOf(USER, 'server.zip'))).toBe(false);
  });

  it('saves to this computer through the downloads API', async () => {
    const started = await send(page, 'startArchive', {
      serverId,
      sources: ['cloudreve://my/Docs', 'cloudreve://my/pixel.png'],
      name: 'local-copy.zip',
      destination: { kind: 'download' },
      mode: 'auto',
    });
    const job = await waitForJob(page, started.jobId);
    expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { location: 'downloads' } });
    const saved = await browser.worker.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: ChromeLike }).chrome;
      const [item] = await chrome.downloads.search({ state: 'complete', limit: 1, orderBy: ['-startTime'] });
      return item;
    });
    expect(saved?.filename).toBeTruthy();
    await unzipTest(saved!.filename);
    const { entries } = await pythonInspect(saved!.filename);
    expect(entries.map((entry) => entry.name)).toContain('pixel.png');
    expect(entries.map((entry) => entry.name)).toContain('Docs/readme.txt');
  });
});
