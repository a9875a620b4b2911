/** The bench page's spool worker: the same host the extension's offscreen document starts (entrypoints/spool-worker.ts). */
import { isSpoolPortMessage } from '../../lib/spool/port-protocol';
import { serveSpoolPort } from '../../lib/spool/sync-host';

self.addEventListener('message', (event: MessageEvent) => {
  const port = event.ports[0];
  if (isSpoolPortMessage(event.data) && port) serveSpoolPort(port);
});
