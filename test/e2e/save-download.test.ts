/**
 * "Save to this computer" with an archive name Chromium's downloads API refuses
 * as a file name (`:`, `"`, `?`): the job used to fail at its very last step with
 * "Invalid filename"; the saved file now gets the name with those replaced.
 * (Playwright stores every download under a UUID name, so the name on disk is
 * not checked here; lib/service/download-name.test.ts covers the mapping.)
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from '../../tools/chromium';
import { send, type ChromeLike } from '../../tools/extension';
import { waitForJob } from '../../tools/job-waits';
import { startRig, type Rig } from '../helpers/rig';
import { pythonInspect, unzipTest } from '../integration/zip/helpers';

let rig: Rig;
let browser: ExtensionBrowser;
let page: Page;
let serverId: string;

beforeAll(async () => {
  rig = await startRig();
  ({ browser, page } = rig);
  serverId = (await send(page, 'addServer', { url: rig.sandbox.url })).id;
  expect((await send(page, 'login', { serverId, email: 'user@example.com', password: 'user123' })).kind).toBe(
    'signed-in',
  );
});

afterAll(async () => {
  await rig?.close();
});

describe('save to this computer', () => {
  it('saves an archive whose name holds characters no portable file name may hold', async () => {
    const started = await send(page, 'startArchive', {
      serverId,
      sources: ['cloudreve://my/Docs'],
      name: 'Q1: "final" report?.zip',
      destination: { kind: 'download' },
      mode: 'browser',
    });
    const job = await waitForJob(page, started.jobId);
    expect(job.error).toBeUndefined();
    expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { location: 'downloads' } });
    const saved = await browser.worker.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: ChromeLike }).chrome;
      const [item] = await chrome.downloads.search({ state: 'complete', limit: 1, orderBy: ['-startTime'] });
      return item;
    });
    await unzipTest(saved!.filename);
    const { entries } = await pythonInspect(saved!.filename);
    expect(entries.map((entry) => entry.name)).toContain('Docs/readme.txt');
  });
});
