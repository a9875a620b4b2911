/**
 * No-clobber upload (platform.md §9 "No-clobber pattern"): PUT to a unique
 * temporary name in the target folder, check its size, then MOVE it to the final
 * name with an explicit `Overwrite: F` (RFC 4918 §10.6). Plain PUT cannot be
 * trusted not to overwrite: rclone, nginx and Cloudreve ignore `If-None-Match: *`.
 * The temporary file is deleted on any failure or abort.
 */
import type { UploadProgress } from '../archive/types';
import { AppError, WebDavError } from '../errors';
import type { DavClient } from './client';
import { joinPath } from './href';

export interface PutSafelyOptions {
  /** Folder relative to the client's base collection. */
  folder: string;
  /** Wanted final name; the result may differ when it got taken meanwhile. */
  name: string;
  file: Blob;
  signal: AbortSignal;
  onProgress?: (progress: UploadProgress) => void;
  /** Picks another free name after the MOVE found the current one taken (412). */
  nextName: (signal: AbortSignal) => Promise<string>;
}

const MAX_MOVE_ATTEMPTS = 10;

/** Stores `file` in `folder` under a name that did not exist; resolves with the name used. */
export async function putSafely(
  client: Pick<DavClient, 'put' | 'stat' | 'move' | 'remove'>,
  options: PutSafelyOptions,
): Promise<{ name: string; size: number }> {
  const { folder, file, signal, onProgress } = options;
  const total = file.size;
  const suffix = `.part-${randomId()}`;
  let temp = joinPath(folder, `.${options.name}${suffix}`);
  try {
    // fetch reports no upload progress for a Blob body; a streamed body would lose Content-Length,
    // which Cloudreve needs (cloudreve-v4.md §6), so progress moves in one step.
    onProgress?.({ sent: 0, total });
    try {
      await client.put(temp, file, signal);
    } catch (error) {
      // Cloudreve accounts with disable_sys_files refuse names starting with '.' (405, cloudreve-v4.md §6).
      if (!(error instanceof WebDavError && error.status === 405)) throw error;
      temp = joinPath(folder, `${options.name}${suffix}`);
      await client.put(temp, file, signal);
    }
    const stored = await client.stat(temp, signal);
    if (!stored || stored.size !== total) {
      throw new AppError('size-mismatch', `The server stored ${stored?.size ?? 'no'} bytes of ${total}`, {
        path: temp,
      });
    }
    let name = options.name;
    for (let attempt = 1; ; attempt++) {
      if (await client.move(temp, joinPath(folder, name), signal)) break;
      if (attempt >= MAX_MOVE_ATTEMPTS) {
        throw new AppError('destination-exists', `Could not find a free name for "${options.name}"`, { folder });
      }
      name = await options.nextName(signal);
    }
    onProgress?.({ sent: total, total });
    return { name, size: total };
  } catch (error) {
    // Best effort, and not with the (maybe aborted) job signal: leave nothing behind.
    await client.remove(temp).catch(() => undefined);
    throw error;
  }
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
