/** Builds what a browser job reads from and writes to, from its server's connection. */
import type { ArchiveDestination, ArchiveSource } from '../archive/types';
import { createCloudreveDestination } from '../cloudreve/destination';
import { createCloudreveSource } from '../cloudreve/source';
import { AppError } from '../errors';
import type { JobIo } from '../jobs/queue';
import type { BrowserJob } from '../jobs/types';
import { createRetryingFetch, createWaitTracker } from '../net/retrying-fetch';
import { JOB_RETRY, type RetryPolicy } from '../net/retry-policy';
import type { Spool } from '../spool/types';
import { createDavDestination } from '../webdav/destination';
import { createDavSource } from '../webdav/source';
import type { Connections, FetchWrapper } from './connections';
import { createStorageAccess } from './storage-access';

export interface JobIoDeps {
  connections: Pick<Connections, 'cloudreve' | 'dav'> & Partial<Pick<Connections, 'anonymous'>>;
  spoolFor(jobId: string): Promise<Spool>;
  /** "Save to this computer". */
  downloadDestination?(job: BrowserJob): ArchiveDestination;
  /** How every request of a job is retried (default JOB_RETRY). */
  retry?: RetryPolicy;
  /** Runs before each request of `job` and throws to stop it (./job-accounts.ts: another account signed in). */
  beforeRequest?(job: BrowserJob): void;
}

export function createJobIo(deps: JobIoDeps) {
  const policy = deps.retry ?? JOB_RETRY;
  function anonymousClient(job: BrowserJob, wrap: FetchWrapper) {
    if (!deps.connections.anonymous) throw new AppError('internal', 'Share links cannot be read anonymously here');
    return deps.connections.anonymous(job.serverId, wrap);
  }

  async function source(job: BrowserJob, wrap: FetchWrapper): Promise<ArchiveSource> {
    if (job.route === 'webdav') {
      const client = await deps.connections.dav(job.serverId, wrap);
      return createDavSource({ client, selection: job.sources, bodyRetry: policy });
    }
    // A share link's anonymous visitor: no token of any account goes out with the job's requests.
    const client = job.anonymous
      ? await anonymousClient(job, wrap)
      : (await deps.connections.cloudreve(job.serverId, wrap)).client;
    return createCloudreveSource({ client, selection: job.sources, bodyRetry: policy });
  }

  async function destination(job: BrowserJob, wrap: FetchWrapper): Promise<ArchiveDestination> {
    const target = job.destination;
    if (target.kind === 'download') {
      if (!deps.downloadDestination) throw new AppError('internal', 'Saving to this computer is not available here');
      return deps.downloadDestination(job);
    }
    if (target.kind === 'webdav') {
      return createDavDestination({ client: await deps.connections.dav(job.serverId, wrap), folder: target.folder });
    }
    if (job.anonymous)
      throw new AppError('page-signed-out', 'Without signing in, the archive can only be saved to this computer');
    const { client } = await deps.connections.cloudreve(job.serverId, wrap);
    return createCloudreveDestination({ client, folderUri: target.folderUri, storageAccess: createStorageAccess() });
  }

  return {
    /**
     * Every request of the job (source and destination alike) goes through one retrying
     * fetch policy, and one tracker says whether the job is waiting for its server.
     */
    async openIo(job: BrowserJob): Promise<JobIo> {
      const listeners = new Set<(since: number | undefined) => void>();
      const waiting = createWaitTracker((since) => listeners.forEach((listener) => listener(since)));
      const check = deps.beforeRequest;
      const wrap: FetchWrapper = (fetcher) => {
        const retrying = createRetryingFetch(fetcher, policy, waiting);
        return check ? async (input, init) => (check(job), retrying(input, init)) : retrying;
      };
      return {
        spool: await deps.spoolFor(job.id),
        source: await source(job, wrap),
        destination: await destination(job, wrap),
        watchServer: (listener) => void listeners.add(listener),
      };
    },
  };
}
