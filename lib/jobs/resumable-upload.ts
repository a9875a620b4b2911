/**
 * The upload step of a browser job, resumable across a killed service worker: the
 * final name is chosen once and saved before any byte is sent, and whatever the
 * destination records about its upload (an upload session and its acknowledged
 * chunks, a WebDAV temporary file) is saved with the job as it goes. A rerun of the
 * job hands both back, so the destination continues that upload, or recognises the
 * finished file, instead of storing a second copy under a new free name.
 */
import type { ArchiveDestination, UploadProgress } from '../archive/types';
import { isAppError } from '../errors';
import type { BrowserJob } from './types';

/** How many times a name may turn out to be someone else's file before the job gives up. */
const MAX_NAME_CHOICES = 3;

export interface ResumableUploadOptions {
  /** The name to store under, or the next free one (default: the job's name). */
  name?: string;
  signal: AbortSignal;
  onProgress?: (progress: UploadProgress) => void;
  /** Persists the job record (`job.upload` included). */
  save: () => Promise<void>;
}

/** Stores `archive` through `destination`, continuing the upload `job.upload` describes if any. */
export async function uploadResumably(
  job: BrowserJob,
  destination: ArchiveDestination,
  archive: Blob,
  { name = job.name, signal, onProgress, save }: ResumableUploadOptions,
): Promise<{ name: string; size: number }> {
  // A pause for storage access recorded by a run that ended (killed, failed) is asked again.
  delete job.awaitingAccess;
  if (!job.upload) {
    job.upload = { name: await destination.freeName(name, signal) };
    await save();
  }
  for (let choice = 1; ; choice++) {
    const upload: NonNullable<BrowserJob['upload']> = job.upload;
    try {
      return await destination.store(archive, upload.name, {
        signal,
        onProgress,
        resume: upload.resume,
        onResumeState: async (state) => {
          upload.resume = state;
          await save();
        },
        onWaiting: async (origin) => {
          if (origin) job.awaitingAccess = origin;
          else delete job.awaitingAccess;
          await save();
        },
      });
    } catch (error) {
      // The name holds a file that is not this upload's (taken between freeName and our
      // first byte, or while the job waited for a new worker): never overwrite, choose again.
      if (!isAppError(error) || error.code !== 'destination-exists' || choice >= MAX_NAME_CHOICES) throw error;
      if (error.details.unprovenPlaceholder) job.placeholdersLeft = [...(job.placeholdersLeft ?? []), upload.name];
      job.upload = { name: await destination.freeName(name, signal) };
      await save();
    }
  }
}
