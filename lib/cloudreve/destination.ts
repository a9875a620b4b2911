/** ArchiveDestination that stores the finished zip in a Cloudreve folder, never overwriting. */
import type { ArchiveDestination } from '../archive/types';
import { AppError } from '../errors';
import type { CloudreveClient } from './client';
import { fileExists } from './files';
import { folderMaxFileSize } from './folders';
import { MAX_NAME_TRIES, numberedName } from '../archive/free-name';
import { discardUpload, uploadFile } from './upload';
import type { StorageAccess } from './upload-provider';
import { joinUri } from './uri';

export interface CloudreveDestinationOptions {
  client: CloudreveClient;
  /** Destination folder URI, e.g. `cloudreve://my/Docs`. */
  folderUri: string;
  /** Access to storage providers' origins (S3 buckets, OneDrive, …); absent where none is needed. */
  storageAccess?: StorageAccess;
}

/** Creates the destination for one folder. */
export function createCloudreveDestination(options: CloudreveDestinationOptions): ArchiveDestination {
  const { client, folderUri } = options;
  return {
    label: folderUri,
    async freeName(name, signal) {
      for (let n = 0; n < MAX_NAME_TRIES; n++) {
        const candidate = numberedName(name, n);
        if (!(await fileExists(client, joinUri(folderUri, candidate), signal))) return candidate;
      }
      throw new AppError('destination-exists', `No free name like "${name}" in ${folderUri}`);
    },
    async store(file, name, { signal, onProgress, resume, onResumeState, onWaiting }) {
      // uploadFile rejects with 'destination-exists' (40004) if someone raced us to the name,
      // and with 'size-mismatch' if the stored size differs from the blob's. With `resume` it
      // continues the recorded upload session (lib/cloudreve/upload-resume.ts).
      const stored = await uploadFile({
        client,
        uri: joinUri(folderUri, name),
        file,
        signal,
        onProgress,
        resume,
        onResumeState,
        onWaiting,
        storageAccess: options.storageAccess,
      });
      return { name: stored.name || name, size: stored.size };
    },
    discard: (resume, signal) => discardUpload(client, resume, signal),
    maxFileSize: (signal) => folderMaxFileSize(client, folderUri, signal),
  };
}
