import { browser } from '#imports';
import { isOffscreenRequest } from '@/lib/messaging/offscreen';
import { replyOf } from '@/lib/messaging/reply';
import { isSpoolPortMessage } from '@/lib/spool/port-protocol';
import { spoolBlob } from '@/lib/spool/spool-blob';

/** Wiring only: makes and revokes blob: URLs of spooled archives for the worker's downloads. */
browser.runtime.onMessage.addListener((message: unknown, sender) => {
  if (!isOffscreenRequest(message) || sender.id !== browser.runtime.id) return undefined;
  return replyOf(async () => {
    if (message.type === 'create-url') return URL.createObjectURL(await spoolBlob(message.jobId, message.size));
    URL.revokeObjectURL(message.url);
    return undefined;
  });
});

/**
 * Hosts the spool's worker (lib/service/spool-worker.ts): the service worker cannot start one. Each
 * port it sends as a client message goes on to the worker, which then talks to the service worker directly.
 */
let spoolWorker: Worker | undefined;
navigator.serviceWorker.addEventListener('message', (event) => {
  const port = event.ports[0];
  // Only our own service worker can message this extension page (same origin).
  if (!isSpoolPortMessage(event.data) || !port) return;
  spoolWorker ??= new Worker(browser.runtime.getURL('/spool-worker.js'));
  spoolWorker.postMessage(event.data, [port]);
});
navigator.serviceWorker.startMessages();
