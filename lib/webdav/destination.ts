/**
 * ArchiveDestination over WebDAV: picks a free name by PROPFIND Depth 0 (404 =
 * free) and stores through putSafely, so an existing file is never overwritten.
 */
import type { ArchiveDestination } from '../archive/types';
import { AppError } from '../errors';
import type { DavClient } from './client';
import { joinPath } from './href';
import { discardPut, putSafely } from './put-safely';
import { numberedName, splitNumberedName } from '../archive/free-name';

export interface DavDestinationOptions {
  client: Pick<DavClient, 'put' | 'stat' | 'move' | 'remove' | 'url'>;
  /** Folder relative to the client's base collection ('' for the base itself). */
  folder: string;
  /** See PutSafelyOptions.settleChecksMs. */
  settleChecksMs?: number[];
}

const MAX_CANDIDATES = 1000;

/** Creates the WebDAV ArchiveDestination for one folder. */
export function createDavDestination({ client, folder, settleChecksMs }: DavDestinationOptions): ArchiveDestination {
  async function freeName(name: string, signal: AbortSignal, from = 0): Promise<string> {
    for (let n = from; n < from + MAX_CANDIDATES; n++) {
      const candidate = numberedName(name, n);
      if (!(await client.stat(joinPath(folder, candidate), signal))) return candidate;
    }
    throw new AppError('destination-exists', `No free name for "${name}" after ${MAX_CANDIDATES} tries`, { folder });
  }

  return {
    label: client.url(folder, folder !== ''),
    freeName,
    store: (file, name, { signal, onProgress, resume, onResumeState }) =>
      putSafely(client, {
        folder,
        name,
        file,
        signal,
        onProgress,
        resume,
        onResumeState,
        settleChecksMs,
        // `name` usually comes from freeName; keep counting: "x (2).zip" after "x (1).zip", never "x (1) (1).zip".
        nextName: (s) => {
          const { base, n } = splitNumberedName(name);
          return freeName(base, s, n + 1);
        },
      }),
    discard: (resume) => discardPut(client, folder, resume),
  };
}
