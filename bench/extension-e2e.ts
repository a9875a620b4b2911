/**
 * The end-to-end fallback as a user gets it: the built extension in Chromium
 * archives a folder of a WebDAV server "in the browser" (download, zip into the
 * OPFS spool, upload back with temp name + MOVE), driven through its own
 * message protocol like the browse page drives it. Needs `npm run build`.
 */
import { hasJobEnded, type BrowserPhase } from '../lib/jobs/types';
import { launchExtension } from '../tools/chromium';
import type { DavServer } from '../tools/dav-servers';
import { DAV_PASSWORD, DAV_USER } from '../tools/dav-servers';
import { send } from '../tools/extension';
import { waitForJob } from '../tools/job-waits';

export interface ExtensionRun {
  seconds: number;
  /** Size of the stored archive. */
  size: number;
  /** Files in the archive. */
  files: number;
  /** Seconds spent in each phase, as seen by polling the job every 100 ms. */
  phases: Partial<Record<BrowserPhase, number>>;
}

/** Archives `source` (a folder of `server`) into `name` beside it; times from the request to the verified upload. */
export async function archiveWithExtension(server: DavServer, source: string, name: string): Promise<ExtensionRun> {
  const browser = await launchExtension({ grantHosts: ['http://127.0.0.1/*'] });
  try {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/browse.html`);
    const { id } = await send(page, 'addDavServer', { url: server.url, username: DAV_USER, password: DAV_PASSWORD });
    const started = performance.now();
    const { jobId } = await send(page, 'startArchive', {
      serverId: id,
      sources: [source],
      name,
      destination: { kind: 'webdav', folder: '' },
      mode: 'browser',
    });
    const phases: Partial<Record<BrowserPhase, number>> = {};
    let phase: BrowserPhase | undefined;
    let since = started;
    const job = await waitForJob(
      page,
      jobId,
      (current) => {
        if (current.kind === 'browser' && current.phase !== phase) {
          const at = performance.now();
          if (phase) phases[phase] = (phases[phase] ?? 0) + (at - since) / 1000;
          [phase, since] = [current.phase, at];
        }
        return hasJobEnded(current);
      },
      600_000,
      100,
    );
    const seconds = (performance.now() - started) / 1000;
    if (job.kind !== 'browser' || job.phase !== 'done') throw new Error(`extension job ended: ${JSON.stringify(job)}`);
    return { seconds, size: job.result!.size, files: job.progress.filesTotal, phases };
  } finally {
    await browser.close();
  }
}
