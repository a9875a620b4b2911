import { defineUnlistedScript } from '#imports';
import { isSpoolPortMessage } from '@/lib/spool/port-protocol';
import { serveSpoolPort } from '@/lib/spool/sync-host';

/**
 * Wiring only: the dedicated worker that writes spool segments (lib/spool/sync-host.ts).
 * Started by the offscreen document (Chromium) or the background page (Firefox); each
 * message brings a port from the service worker.
 */
export default defineUnlistedScript(() => {
  self.addEventListener('message', (event: MessageEvent) => {
    const port = event.ports[0];
    if (isSpoolPortMessage(event.data) && port) serveSpoolPort(port);
  });
});
