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

/** `client` undefined: nobody is signed in (a share link's visitor), so there is no drive to ask about. */
export async function gatherPreflightFacts(
  client: CloudreveClient | undefined,
  folderUri: string,
  speeds: Pick<Speeds, 'current'>,
): Promise<PreflightFacts> {
  const [capacityFree, maxFileSize, free, current] = await Promise.all([
    client ? unknownOnError(freeCapacity(client)) : undefined,
    client ? unknownOnError(folderMaxFileSize(client, folderUri)) : undefined,
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
