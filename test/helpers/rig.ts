/**
 * The usual browser-test rig: the Cloudreve sandbox, Chromium with the built
 * extension (loopback access pre-granted), and one extension page to talk to
 * the worker from.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { hasJobEnded, type Job } from '../../lib/jobs/types';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server';
import { launchExtension, type ExtensionBrowser, type LaunchOptions } from '../../tools/chromium';
import { send } from '../../tools/extension';
import { pythonInspect, unzipTest } from '../integration/zip/helpers';

export interface Rig {
  sandbox: Sandbox;
  browser: ExtensionBrowser;
  /** The popup opened as a page: an extension page that may send every `extension` message. */
  page: Page;
  close(): Promise<void>;
}

export async function startRig(options: SandboxOptions = {}, launch: LaunchOptions = {}): Promise<Rig> {
  const sandbox = await startSandbox({ page: 'placeholder', ...options });
  const browser = await launchExtension({ grantHosts: ['http://127.0.0.1/*'], ...launch });
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  return {
    sandbox,
    browser,
    page,
    async close() {
      await browser.close();
      await sandbox.stop();
    },
  };
}

export type PageRig = Rig & { serverId: string };

/** The rig with the sandbox's stand-in of the Cloudreve web UI, connected as a server (`serverId`). */
export async function startPageRig(options: SandboxOptions = {}, launch: LaunchOptions = {}): Promise<PageRig> {
  const rig = await startRig({ page: 'build', ...options }, launch);
  return { ...rig, serverId: (await send(rig.page, 'addServer', { url: rig.sandbox.url })).id };
}

/**
 * What the keyboard command and the browser menu do: the worker asks the content script of `page`
 * (brought to the front, so it is the active tab of `origin`) to open the Archive dialog.
 */
export async function openDialogFromWorker(browser: ExtensionBrowser, page: Page, origin: string): Promise<void> {
  await page.bringToFront();
  await browser.worker.evaluate(async (origin) => {
    const { tabs } = (
      globalThis as unknown as {
        chrome: {
          tabs: {
            query(query: object): Promise<{ id?: number }[]>;
            sendMessage(id: number, message: unknown): Promise<unknown>;
          };
        };
      }
    ).chrome;
    const [tab] = await tabs.query({ url: `${origin}/*`, active: true });
    await tabs.sendMessage(tab!.id!, { type: 'open-archive-dialog' });
  }, origin);
}

/** Paths of every file in the extension's OPFS (spool segments live there). */
export function opfsFiles(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    type Entry = { kind: 'file' | 'directory'; name: string };
    type Directory = Entry & AsyncIterable<[string, Entry]>;
    const files: string[] = [];
    const walk = async (directory: Directory, prefix: string) => {
      for await (const [name, entry] of directory) {
        if (entry.kind === 'file') files.push(prefix + name);
        else await walk(entry as Directory, `${prefix}${name}/`);
      }
    };
    await walk((await navigator.storage.getDirectory()) as unknown as Directory, '');
    return files;
  });
}

/** Waits for the job that stores `name` to end, asking the worker through the extension page `page`. */
export async function finishedJob(page: Page, name: string, timeoutMs = 60_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  let jobs: Job[] = [];
  while (Date.now() < deadline) {
    jobs = await send(page, 'listJobs');
    const job = jobs.find((candidate) => (candidate.result?.name ?? candidate.name) === name && hasJobEnded(candidate));
    if (job) return job;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`No finished job for ${name}; jobs: ${JSON.stringify(jobs.map((j) => [j.name, j.kind]))}`);
}

/** The zip's entry names, sorted, after unzip -t and Python's testzip() both passed. */
export async function zipEntries(file: string): Promise<string[]> {
  await unzipTest(file);
  const { bad, entries } = await pythonInspect(file);
  expect(bad).toBeNull();
  return entries.map((entry) => entry.name).sort();
}
