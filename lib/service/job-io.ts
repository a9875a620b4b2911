/** Builds what a local job reads from and writes to, from its server's connection. */
import type { ArchiveDestination, ArchiveSource } from '../archive/types';
import { createCloudreveDestination } from '../cloudreve/destination';
import { createCloudreveSource } from '../cloudreve/source';
import { AppError } from '../errors';
import type { JobIo } from '../jobs/queue';
import type { LocalJob } from '../jobs/types';
import type { Spool } from '../spool/types';
import { createDavDestination } from '../webdav/destination';
import { createDavSource } from '../webdav/source';
import type { Connections } from './connections';
import { createStorageAccess } from './storage-access';

export interface JobIoDeps {
  connections: Connections;
  spoolFor(jobId: string): Promise<Spool>;
  /** "Save to this computer". */
  downloadDestination?(job: LocalJob): ArchiveDestination;
}

export function createJobIo(deps: JobIoDeps) {
  async function source(job: LocalJob): Promise<ArchiveSource> {
    if (job.route === 'webdav') {
      return createDavSource({ client: await deps.connections.dav(job.serverId), selection: job.sources });
    }
    const { client } = await deps.connections.cloudreve(job.serverId);
    return createCloudreveSource({ client, selection: job.sources });
  }

  async function destination(job: LocalJob): Promise<ArchiveDestination> {
    const target = job.destination;
    if (target.kind === 'download') {
      if (!deps.downloadDestination) throw new AppError('internal', 'Saving to this computer is not available here');
      return deps.downloadDestination(job);
    }
    if (target.kind === 'webdav') {
      return createDavDestination({ client: await deps.connections.dav(job.serverId), folder: target.folder });
    }
    const { client } = await deps.connections.cloudreve(job.serverId);
    return createCloudreveDestination({ client, folderUri: target.folderUri, storageAccess: createStorageAccess() });
  }

  return {
    async openIo(job: LocalJob): Promise<JobIo> {
      return { spool: await deps.spoolFor(job.id), source: await source(job), destination: await destination(job) };
    },
  };
}
