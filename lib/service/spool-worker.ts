/**
 * Reaches the dedicated worker that writes spool segments through sync access
 * handles (lib/spool/sync-host.ts). Chromium's extension service worker cannot
 * start workers (docs/browser-platform.md#what-the-service-worker-lacks), so
 * the offscreen document starts it (reason WORKERS) and the service worker
 * sends each fresh MessagePort to the document as a client message
 * (`Client.postMessage`, which transfers the port: MDN Client/postMessage);
 * the document passes it on to its worker. Where the background is a page
 * with `Worker` (Firefox's event page), the worker is started here directly.
 */
import { browser } from '#imports';
import { SPOOL_PORT_PROTOCOL, waitForSpoolWorker, type SpoolPortMessage } from '../spool/port-protocol';
import { ensureOffscreen, OFFSCREEN_URL } from './offscreen-document';

/** The worker answers a fresh port at once; this long without an answer means it is not there. */
const PATIENCE_MS = 10_000;

/** Once reaching the worker failed, the spool writes without it for the rest of this worker's life. */
let unreachable = false;

/** The parts of the service worker's `clients` used here (TypeScript's DOM lib has no service-worker types). */
interface WindowClientLike {
  url: string;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

async function offscreenDocument(): Promise<WindowClientLike | undefined> {
  await ensureOffscreen();
  const scope = globalThis as unknown as {
    clients: { matchAll(options: { includeUncontrolled: boolean; type: 'window' }): Promise<WindowClientLike[]> };
  };
  const all = await scope.clients.matchAll({ includeUncontrolled: true, type: 'window' });
  return all.find((client) => new URL(client.url).pathname === OFFSCREEN_URL);
}

let pageWorker: Worker | undefined;

/** A fresh port to the spool worker, or undefined (the spool then uses `createWritable()`). */
export async function connectSpoolWorker(): Promise<MessagePort | undefined> {
  if (unreachable) return undefined;
  const channel = new MessageChannel();
  const message: SpoolPortMessage = { protocol: SPOOL_PORT_PROTOCOL };
  if (typeof Worker === 'function') {
    pageWorker ??= new Worker(browser.runtime.getURL('/spool-worker.js'));
    pageWorker.postMessage(message, [channel.port2]);
  } else if ('offscreen' in browser) {
    const document = await offscreenDocument();
    if (!document) {
      unreachable = true;
      return undefined;
    }
    document.postMessage(message, [channel.port2]);
  } else {
    return undefined;
  }
  const port = await waitForSpoolWorker(channel.port1, PATIENCE_MS);
  if (!port) unreachable = true;
  return port;
}
