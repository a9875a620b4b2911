/**
 * The end-to-end fallback as a user gets it: the built extension in Chromium
 * archives a folder of a WebDAV server "in the browser" (download, zip into the
 * OPFS spool, upload back with temp name + MOVE), driven through its own
 * message protocol like the browse page drives it. Needs `npm run build`.
 * While the job runs, the browser's memory (summed Pss of its processes,
 * tools/pss.ts) is sampled against the idle browser's.
 */
import { hasJobEnded, type CompressionChoice, type BrowserPhase, type Job } from '../lib/jobs/types';
import type { MessageType, ProtocolMap } from '../lib/messaging/protocol';
import { launchExtension, type ExtensionBrowser } from '../tools/chromium';
import type { DavServer } from '../tools/dav-servers';
import { DAV_PASSWORD, DAV_USER } from '../tools/dav-servers';
import { send } from '../tools/extension';
import { chromiumPssByKind, sampleMemory } from '../tools/pss';

/**
 * Playwright enables the Network domain on every service worker it attaches to
 * (unless PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK is set), so each request of
 * the job sent several CDP events to this process: on the 2-core machine a bare
 * fetch loop in the worker (16 in flight, 4 KiB files from nginx) took ≈3 ms
 * per file under Playwright and ≈1.5 ms in the same Chromium driven over plain
 * CDP; with this variable set, 7.6 and 4.4 ms against 10.4 and 8.9 ms without
 * it, back to back on the loaded machine (issue 14's P5 profile).
 * A user's browser has no such observer; the bench does not read these events.
 */
process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK ??= '1';

export interface ExtensionRun {
  seconds: number;
  /** Size of the stored archive. */
  size: number;
  /** Files in the archive. */
  files: number;
  /** Seconds spent in each phase, as seen by polling the job every 100 ms. */
  phases: Partial<Record<BrowserPhase, number>>;
  /** Summed Pss of every process of the browser, in bytes: idle (median of 2 s before the job) and the peak during it. */
  memory: {
    idle: number;
    peak: number;
    samples: number;
    idleByKind: Record<string, number>;
    peakByKind: Record<string, number>;
  };
}

export interface ExtensionOptions {
  /** More Chromium switches (the one that trusts a loopback certificate). */
  chromiumArgs?: string[];
  compression?: CompressionChoice;
  /** Give up after this long (the 8 GiB job takes minutes). */
  timeoutMs?: number;
}

/** One browser with the extension and `server` connected, for several archives in a row. */
export interface ExtensionSession {
  archive(source: string, name: string): Promise<ExtensionRun>;
  close(): Promise<void>;
}

/** Sends a protocol message from one of the extension's pages and answers its value (or throws its error). */
export type SendMessage = <K extends MessageType>(
  type: K,
  ...args: Parameters<ProtocolMap[K]>
) => Promise<Awaited<ReturnType<ProtocolMap[K]>>>;

/** A browser running the built extension with the WebDAV server connected (Chromium here, Firefox in bench/firefox-e2e.ts). */
export interface ConnectedExtension {
  serverId: string;
  send: SendMessage;
  /** Pss of the browser's processes by kind (tools/pss.ts). */
  measureMemory: () => Record<string, number>;
  close(): Promise<void>;
}

export async function openExtensionSession(
  server: DavServer,
  options: ExtensionOptions = {},
): Promise<ExtensionSession> {
  const origin = new URL(server.url);
  const browser: ExtensionBrowser = await launchExtension({
    grantHosts: [`${origin.protocol}//${origin.hostname}/*`],
    args: options.chromiumArgs,
  });
  try {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/browse.html`);
    const { id: serverId } = await send(page, 'addDavServer', {
      url: server.url,
      username: DAV_USER,
      password: DAV_PASSWORD,
    });
    return sessionOf(
      {
        serverId,
        send: (type, ...args) => send(page, type, ...args),
        measureMemory: chromiumPssByKind,
        close: () => browser.close(),
      },
      options,
    );
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Polls the job list every `pollMs` until `predicate` holds for the job; fails with the last state after `timeoutMs`. */
async function waitForJob(
  send: SendMessage,
  jobId: string,
  predicate: (job: Job) => boolean,
  timeoutMs: number,
  pollMs: number,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  let last: Job | undefined;
  while (Date.now() < deadline) {
    last = (await send('listJobs').catch(() => undefined))?.find((job) => job.id === jobId) ?? last;
    if (last && predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`Job ${jobId} did not end in time; last state: ${JSON.stringify(last)}`);
}

/**
 * Archives through the browse page's protocol in `browser`, timing each job
 * from the request to the verified upload and sampling the browser's memory
 * against its idle footprint.
 */
export function sessionOf(browser: ConnectedExtension, options: ExtensionOptions = {}): ExtensionSession {
  const { serverId, send } = browser;
  const sample = (everyMs: number) => sampleMemory(everyMs, browser.measureMemory);
  return {
    async archive(source, name) {
      // The idle browser: this page open, the server connected, no job.
      const idle = sample(200);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const idleSamples = idle.stop();
      const sampler = sample(250);
      const started = performance.now();
      const { jobId } = await send('startArchive', {
        serverId,
        sources: [source],
        name,
        destination: { kind: 'webdav', folder: '' },
        mode: 'browser',
        compression: options.compression,
      });
      const phases: Partial<Record<BrowserPhase, number>> = {};
      let phase: BrowserPhase | undefined;
      let since = started;
      try {
        const job = await waitForJob(
          send,
          jobId,
          (current) => {
            if (current.kind === 'browser' && current.phase !== phase) {
              const at = performance.now();
              if (phase) phases[phase] = (phases[phase] ?? 0) + (at - since) / 1000;
              [phase, since] = [current.phase, at];
            }
            return hasJobEnded(current);
          },
          options.timeoutMs ?? 900_000,
          100,
        );
        const seconds = (performance.now() - started) / 1000;
        if (job.kind !== 'browser' || job.phase !== 'done')
          throw new Error(`extension job ended: ${JSON.stringify(job).slice(0, 2000)}`);
        const memory = sampler.stop();
        return {
          seconds,
          size: job.result!.size,
          files: job.progress.filesTotal,
          phases,
          memory: {
            idle: idleSamples.median,
            peak: memory.peak,
            samples: memory.samples,
            // The idle breakdown of the highest idle sample: close enough to the median to read growth per kind.
            idleByKind: idleSamples.peakByKind,
            peakByKind: memory.peakByKind,
          },
        };
      } finally {
        sampler.stop();
        // Finished jobs leave the list, so the next run's polling stays as cheap as this one's.
        await send('clearFinished').catch(() => undefined);
      }
    },
    close: () => browser.close(),
  };
}
