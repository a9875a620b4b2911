/**
 * What the dialog's checks before Start need (lib/jobs/preflight.ts), gathered
 * in the worker with the extension's account: the user's free capacity, the
 * destination folder's single-file limit, the free storage of the extension's
 * origin (where the in-browser route spools; navigator.storage.estimate, MDN
 * "StorageManager: estimate()") and the speeds of earlier jobs. A fact that
 * cannot be learned is left out: the check is then skipped, never guessed.
 */
import type { CloudreveClient } from '../cloudreve/client';
import { folderMaxFileSize, freeCapacity } from '../cloudreve/folders';
import type { PreflightFacts } from '../messaging/payloads';
import type { Speeds } from './speeds';

const unknownOnError = <T>(promise: Promise<T>) => promise.catch(() => undefined);

async function browserFree(): Promise<number | undefined> {
  const { quota, usage } = await navigator.storage.estimate();
  return quota === undefined ? undefined : Math.max(0, quota - (usage ?? 0));
}

/** The facts; without `cloudreve` (a WebDAV folder), only the browser's storage and the speeds. */
export async function gatherPreflightFacts(
  speeds: Pick<Speeds, 'current'>,
  cloudreve?: { client: CloudreveClient; folderUri: string },
): Promise<PreflightFacts> {
  const [capacityFree, maxFileSize, free, current] = await Promise.all([
    cloudreve && unknownOnError(freeCapacity(cloudreve.client)),
    cloudreve && unknownOnError(folderMaxFileSize(cloudreve.client, cloudreve.folderUri)),
    unknownOnError(browserFree()),
    speeds.current().catch(() => ({})),
  ]);
  return {
    ...(capacityFree !== undefined && { capacityFree }),
    ...(maxFileSize !== undefined && { maxFileSize }),
    ...(free !== undefined && { browserFree: free }),
    speeds: current,
  };
}
