/**
 * "Save to this computer" keeps the archive's name on disk. Two cases:
 * - a plain name is saved as is (one run once reported a generated `d4eef060-….zip`);
 * - a name Chromium's downloads API refuses as a file name (`:`, `"`, `?`) used to fail
 *   the job at its very last step with "Invalid filename"; it is saved with those replaced.
 * Playwright saves every download under a UUID name of its own (that is where the
 * generated name came from), and CDP's "allow" behaviour names downloads after the
 * blob URL, bypassing the name the extension gives; so this test hands downloads back
 * to Chromium's own download manager (`Browser.setDownloadBehavior` "default") with
 * the profile's download folder set to one of ours, as a plain browser runs.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
let downloads: string;

beforeAll(async () => {
  downloads = await mkdtemp(path.join(tmpdir(), 'cra-downloads-'));
  rig = await startRig({}, { downloadDir: downloads });
  ({ browser, page } = rig);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });
  serverId = (await send(page, 'addServer', { url: rig.sandbox.url })).id;
  expect((await send(page, 'login', { serverId, email: 'user@example.com', password: 'user123' })).kind).toBe(
    'signed-in',
  );
});

afterAll(async () => {
  await rig?.close();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

async function saveToComputer(name: string) {
  const started = await send(page, 'startArchive', {
    serverId,
    sources: ['cloudreve://my/Docs'],
    name,
    destination: { kind: 'download' },
    mode: 'browser',
  });
  const job = await waitForJob(page, started.jobId);
  expect(job.error).toBeUndefined();
  expect(job).toMatchObject({ kind: 'browser', phase: 'done', result: { location: 'downloads' } });
  const saved = await browser.worker.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: ChromeLike }).chrome;
    const [item] = await chrome.downloads.search({ state: 'complete', limit: 1, orderBy: ['-startTime'] });
    return item!.filename;
  });
  await unzipTest(saved);
  const { entries } = await pythonInspect(saved);
  expect(entries.map((entry) => entry.name)).toContain('Docs/readme.txt');
  return { job, saved };
}

describe('save to this computer', () => {
  it("saves the archive under its own name, in the browser's download folder", async () => {
    const { job, saved } = await saveToComputer('Quarterly report.zip');
    expect(saved).toBe(path.join(downloads, 'Quarterly report.zip'));
    expect(job.result?.name).toBe('Quarterly report.zip');
  });

  it('saves an archive whose name holds characters no portable file name may hold', async () => {
    const { job, saved } = await saveToComputer('Q1: "final" report?.zip');
    expect(path.dirname(saved)).toBe(downloads);
    expect(path.basename(saved)).toBe(job.result?.name);
    expect(path.basename(saved)).toMatch(/^Q1_ _final_ report_\.zip$/);
    expect((await readdir(downloads)).sort()).toEqual(['Q1_ _final_ report_.zip', 'Quarterly report.zip']);
  });

  it('never overwrites a file of the same name in the download folder', async () => {
    const before = await stat(path.join(downloads, 'Quarterly report.zip'));
    const { job, saved } = await saveToComputer('Quarterly report.zip');
    expect(saved).toBe(path.join(downloads, 'Quarterly report (1).zip'));
    expect(job.result?.name).toBe('Quarterly report (1).zip');
    const after = await stat(path.join(downloads, 'Quarterly report.zip'));
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });
});
