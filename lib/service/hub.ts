/**
 * The `jobs` port: extension pages connect and get a snapshot, then every
 * change as it happens, so the popup is a live view of persisted state
 * without polling (issue: "a port from the service worker").
 */
import { browser, type Browser } from '#imports';
import { PORTS, type JobsPortMessage } from '../messaging';
import type { Job } from '../jobs/types';
import type { ServerView } from '../servers/types';

export function createJobsHub(snapshot: () => Promise<{ jobs: Job[]; servers: ServerView[] }>) {
  const ports = new Set<Browser.runtime.Port>();
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;

  function post(message: JobsPortMessage) {
    for (const port of ports) {
      try {
        port.postMessage(message);
      } catch {
        ports.delete(port);
      }
    }
  }

  browser.runtime.onConnect.addListener((port) => {
    // Only our own pages listen to job updates; content scripts have no use for them.
    if (port.name !== PORTS.jobs || !port.sender?.url?.startsWith(extensionOrigin)) return;
    ports.add(port);
    port.onDisconnect.addListener(() => ports.delete(port));
    void snapshot().then(({ jobs, servers }) => {
      if (ports.has(port)) port.postMessage({ type: 'snapshot', jobs, servers } satisfies JobsPortMessage);
    });
  });

  return {
    jobChanged: (job: Job) => post({ type: 'job', job }),
    serversChanged: (servers: ServerView[]) => post({ type: 'servers', servers }),
    listeners: () => ports.size,
  };
}
