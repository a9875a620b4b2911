/**
 * The `jobs` port: extension pages connect and get a snapshot, then every
 * change as it happens, so the popup is a live view of persisted state
 * without polling (issue: "a port from the service worker").
 */
import { browser, type Browser } from '#imports';
import { PORTS, type JobsPortMessage } from '../messaging/jobs-port';
import type { Job } from '../jobs/types';
import type { ServerView } from '../servers/types';

export interface JobsHubOptions {
  snapshot: () => Promise<{ jobs: Job[]; servers: ServerView[] }>;
  /** A page opened the port (the task feed starts polling)… */
  onAttach?: () => void;
  /** …and one closed it. */
  onDetach?: () => void;
}

export function createJobsHub({ snapshot, onAttach, onDetach }: JobsHubOptions) {
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
    port.onDisconnect.addListener(() => {
      if (ports.delete(port)) onDetach?.();
    });
    onAttach?.();
    void snapshot().then(({ jobs, servers }) => {
      if (ports.has(port)) port.postMessage({ type: 'snapshot', jobs, servers } satisfies JobsPortMessage);
    });
  });

  return {
    post,
    /** Sends every page the whole state again, e.g. after jobs were deleted. */
    async resend() {
      if (ports.size > 0) post({ type: 'snapshot', ...(await snapshot()) });
    },
    jobChanged: (job: Job) => post({ type: 'job', job }),
    serversChanged: (servers: ServerView[]) => post({ type: 'servers', servers }),
    listeners: () => ports.size,
  };
}
