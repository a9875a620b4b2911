/**
 * No-clobber upload (docs/webdav-servers.md#no-clobber-upload): PUT to a unique
 * temporary name in the target folder, check its size, then MOVE it to the final
 * name with an explicit `Overwrite: F` (RFC 4918 §10.6). Plain PUT cannot be
 * trusted not to overwrite: rclone, nginx and Cloudreve ignore `If-None-Match: *`.
 * The temporary file is deleted on any failure or abort.
 *
 * A single PUT cannot be resumed, but a killed worker must not leave a stale
 * temporary file nor store a second copy: the temporary name is recorded before the
 * PUT, and the final name before each MOVE (only once the temporary file was checked
 * complete). A resumed call removes a stale temporary file and uploads again, or, when
 * a MOVE had been reached, finishes or recognises it.
 */
import type { ResumeState, UploadProgress } from '../archive/types';
import { AppError, WebDavError } from '../errors';
import type { DavClient } from './client';
import { joinPath } from './href';
import { sleep } from '../sleep';

/**
 * After a PUT ends on our side (aborted, failed), the server may still be writing: rclone
 * went on for 6 s after a cancel and created the 76 MB temporary file after our DELETE
 * (issue 13 #5). So the temporary file is deleted, then looked for again after these
 * waits and deleted again if it came back.
 */
export const SETTLE_CHECKS_MS = [500, 2_000, 5_000];

/**
 * How long one cleanup may wait for the server. The job's requests wait up to 30 min for a
 * server that is away (lib/net/retrying-fetch.ts); a cancel must not. What stays unconfirmed
 * is kept by the job and tried again later (BrowserJob `pendingDiscard`).
 */
export const CLEANUP_WAIT_MS = 15_000;

/** Waits before looking for the file a MOVE whose answer was lost put in place. */
const MOVED_CHECKS_MS = [0, 1_000, 3_000];

/** What putSafely records with the job (names inside `folder`). */
export interface DavResumeState extends ResumeState {
  kind: 'webdav';
  size: number;
  /** The temporary file the PUT writes. */
  temp: string;
  /** Set once the temporary file held every byte: the MOVE to this name was about to be sent. */
  movingTo?: string;
}

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
  /** What an interrupted earlier call for the same file recorded. */
  resume?: ResumeState;
  /** Persists a `DavResumeState`; awaited before the PUT or MOVE it describes. */
  onResumeState?: (state: ResumeState) => Promise<void>;
  /** Waits before looking again for a temporary file a cut-off PUT may still create (default SETTLE_CHECKS_MS). */
  settleChecksMs?: number[];
}

type DavWriter = Pick<DavClient, 'put' | 'stat' | 'move' | 'remove'>;

const MAX_MOVE_ATTEMPTS = 10;

/** Stores `file` in `folder` under a name that did not exist; resolves with the name used. */
export async function putSafely(client: DavWriter, options: PutSafelyOptions): Promise<{ name: string; size: number }> {
  const prior = readResumeState(options.resume, options.file.size);
  if (prior) {
    const resumed = await resumePut(client, options, prior);
    if (resumed) return resumed;
  }
  const { folder, file, signal, onProgress } = options;
  const total = file.size;
  const suffix = `.part-${randomId()}`;
  let temp = `.${options.name}${suffix}`;
  const record = (temp: string) =>
    options.onResumeState?.({ kind: 'webdav', size: total, temp } satisfies DavResumeState);
  try {
    // fetch reports no upload progress for a Blob body; a streamed body would lose Content-Length,
    // which Cloudreve needs (docs/cloudreve-api.md#webdav-endpoint), so progress moves in one step.
    onProgress?.({ sent: 0, total });
    await record(temp);
    try {
      await client.put(joinPath(folder, temp), file, signal);
    } catch (error) {
      // Cloudreve accounts with disable_sys_files refuse names starting with '.' (405,
      // docs/cloudreve-api.md#webdav-endpoint);
      // rclone answers 405 to any failed write, a full disk included. An empty file under the same
      // name tells which: taken, the name is fine and the 405 was about the bytes.
      if (!(error instanceof WebDavError && error.status === 405)) throw error;
      if (await acceptsName(client, joinPath(folder, temp), signal)) {
        throw new WebDavError(
          'insufficient-storage',
          405,
          `The WebDAV server refused ${total} bytes (HTTP 405) but takes an empty file of that name: it is most likely out of space`,
          { path: joinPath(folder, temp) },
        );
      }
      temp = `${options.name}${suffix}`;
      await record(temp);
      await client.put(joinPath(folder, temp), file, signal);
    }
    const stored = await client.stat(joinPath(folder, temp), signal);
    if (!stored || stored.size !== total) {
      throw new AppError('size-mismatch', `The server stored ${stored?.size ?? 'no'} bytes of ${total}`, {
        path: joinPath(folder, temp),
      });
    }
    return await moveIntoPlace(client, options, temp, options.name);
  } catch (error) {
    // Best effort, and not with the (maybe aborted) job signal: leave nothing behind. A PUT cut
    // off on our side (cancel, broken connection) may still be written by the server: look again.
    const answered = error instanceof WebDavError || (error instanceof AppError && error.code === 'size-mismatch');
    await removeTemp(client, joinPath(folder, temp), answered ? [] : (options.settleChecksMs ?? SETTLE_CHECKS_MS));
    throw error;
  }
}

/**
 * Deletes a temporary file, and again if a write still under way on the server brings it back.
 * True once the server said it is gone; false when the server could not tell (away, failing):
 * then the job keeps its name and tries again later (lib/jobs/queue.ts).
 */
async function removeTemp(
  client: Pick<DavWriter, 'remove' | 'stat'>,
  path: string,
  checks: number[],
): Promise<boolean> {
  const remove = () =>
    client.remove(path, { signal: AbortSignal.timeout(CLEANUP_WAIT_MS) }).then(
      () => true,
      () => false,
    );
  let gone = await remove();
  for (const wait of checks) {
    await sleep(wait);
    const back = await client.stat(path, AbortSignal.timeout(CLEANUP_WAIT_MS)).catch(() => undefined);
    if (back === undefined) return false;
    gone = back === null || (await remove());
  }
  return gone;
}

/** Whether the server stores an empty file at `path` (removed again at once). */
async function acceptsName(client: DavWriter, path: string, signal: AbortSignal): Promise<boolean> {
  try {
    await client.put(path, new Blob([]), signal);
  } catch (error) {
    if (error instanceof WebDavError && error.status === 405) return false;
    throw error;
  }
  await client.remove(path).catch(() => undefined);
  return true;
}

/** MOVEs the complete temporary file to `name`, or the next free name while the target is taken. */
async function moveIntoPlace(
  client: DavWriter,
  options: PutSafelyOptions,
  temp: string,
  name: string,
): Promise<{ name: string; size: number }> {
  const { folder, file, signal } = options;
  for (let attempt = 1; ; attempt++) {
    await options.onResumeState?.({ kind: 'webdav', size: file.size, temp, movingTo: name } satisfies DavResumeState);
    if (await moveOrFindMoved(client, options, temp, name)) break;
    if (attempt >= MAX_MOVE_ATTEMPTS) {
      throw new AppError('destination-exists', `Could not find a free name for "${options.name}"`, { folder });
    }
    name = await options.nextName(signal);
  }
  options.onProgress?.({ sent: file.size, total: file.size });
  return { name, size: file.size };
}

/**
 * MOVE; true once the file is at `name`, false when `name` holds someone else's file.
 * When the answer to an earlier attempt of this same MOVE was lost (the job's retrying fetch
 * sent it again), the retry finds our own file at `name` (412) or no source (rclone 403, others
 * 404). Our temporary name is ours alone, so a temporary file gone and a file of our size at
 * `name` prove that MOVE happened: the rule a resumed job applies to a recorded MOVE.
 */
async function moveOrFindMoved(client: DavWriter, options: PutSafelyOptions, temp: string, name: string) {
  const { folder, file, signal } = options;
  const movedEarlier = async () => {
    if ((await client.stat(joinPath(folder, temp), signal)) !== null) return false;
    // rclone lists the moved file only a moment later (its directory cache): look a few times.
    for (const wait of MOVED_CHECKS_MS) {
      await sleep(wait, signal);
      const target = await client.stat(joinPath(folder, name), signal);
      if (target && !target.isCollection && target.size === file.size) return true;
    }
    return false;
  };
  try {
    return (await client.move(joinPath(folder, temp), joinPath(folder, name), signal)) || (await movedEarlier());
  } catch (error) {
    if (error instanceof WebDavError && error.status >= 400 && error.status < 500 && (await movedEarlier()))
      return true;
    throw error;
  }
}

/**
 * Finishes what `prior` recorded when it can: a MOVE that happened (the temporary file is
 * gone and the target has our size) or was about to (the complete temporary file is still
 * there). Otherwise removes the stale temporary file and resolves undefined: upload again.
 * Without a recorded MOVE a same-size file at the final name proves nothing; the MOVE of the
 * new upload then meets it (412) and takes the next free name.
 */
async function resumePut(
  client: DavWriter,
  options: PutSafelyOptions,
  prior: DavResumeState,
): Promise<{ name: string; size: number } | undefined> {
  const { folder, file, signal } = options;
  const tempPath = joinPath(folder, prior.temp);
  if (prior.movingTo !== undefined) {
    const temp = await client.stat(tempPath, signal);
    if (temp?.size === file.size) {
      try {
        return await moveIntoPlace(client, options, prior.temp, prior.movingTo);
      } catch (error) {
        await removeTemp(client, tempPath, []);
        throw error;
      }
    }
    const target = temp ? null : await client.stat(joinPath(folder, prior.movingTo), signal);
    if (target && !target.isCollection && target.size === file.size) {
      options.onProgress?.({ sent: file.size, total: file.size });
      return { name: prior.movingTo, size: file.size };
    }
  }
  await client.remove(tempPath).catch(() => undefined);
  return undefined;
}

/**
 * Removes the temporary file an interrupted upload recorded. Its name is ours alone
 * (a random suffix), so deleting it can never touch someone else's file; a file the
 * MOVE may already have put in place is left alone. Rejects when the server could not
 * confirm it is gone (away, failing), so the caller keeps the name for a later try.
 */
export async function discardPut(
  client: Pick<DavClient, 'remove' | 'stat'>,
  folder: string,
  resume: ResumeState,
): Promise<void> {
  if (resume.kind !== 'webdav' || typeof resume.temp !== 'string') return;
  // No worker runs the job any more, so no PUT of ours is under way: one look after the delete suffices.
  if (!(await removeTemp(client, joinPath(folder, resume.temp), [0]))) {
    throw new AppError('server-unavailable', `Could not confirm that ${resume.temp} was deleted`, {
      path: joinPath(folder, resume.temp),
    });
  }
}

function readResumeState(state: ResumeState | undefined, size: number): DavResumeState | undefined {
  if (state?.kind !== 'webdav' || state.size !== size || typeof state.temp !== 'string') return undefined;
  return state as DavResumeState;
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
