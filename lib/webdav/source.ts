/**
 * ArchiveSource over WebDAV: lists with walkDav, reads with streamed GETs that
 * retry network errors and 5xx with backoff and resume mid-stream with `Range`
 * (RFC 9110 §14.2) from the last byte delivered.
 */
import type { ArchiveSource, SourceEntry } from '../archive/types';
import { AppError, WebDavError } from '../errors';
import { changedError, checkFirst, checkResumed, ifRangeOf, type FileVersion } from '../archive/file-version';
import type { DavClient } from './client';
import { resumableBody, skipBytes } from '../archive/resumable-body';
import { sleep } from '../sleep';
import { walkDav } from './walk';
import { streakRetry, type RetryPolicy } from '../net/retry-policy';

export interface DavSourceOptions {
  client: Pick<DavClient, 'stat' | 'list' | 'get'>;
  /** Paths relative to the client's base collection. */
  selection: string[];
  /** Waits before each retry, in ms; its length is the number of retries per read. */
  retryDelays?: number[];
  /**
   * A job's policy (lib/net/retry-policy.ts): a broken body is resumed until the streak of
   * breaks outlasts its time budget, instead of after `retryDelays`.
   */
  bodyRetry?: RetryPolicy;
}

type Reader = ReadableStreamDefaultReader<Uint8Array>;

/** Creates the WebDAV ArchiveSource. */
export function createDavSource({
  client,
  selection,
  retryDelays = [500, 1000, 2000, 4000],
  bodyRetry,
}: DavSourceOptions): ArchiveSource {
  /**
   * A reader positioned at `offset`, or null when the file is gone (404). `read.version` is
   * the version being read: set by the first answer, checked on every resumed one.
   */
  async function openAt(
    entry: SourceEntry,
    offset: number,
    read: { version?: FileVersion },
    signal: AbortSignal,
  ): Promise<Reader | null> {
    const ifRange = ifRangeOf(read.version);
    const response = await client.get(entry.ref, { offset, ...(ifRange ? { ifRange } : {}), signal });
    if (!response) return null;
    const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    if (offset === 0 || !read.version) {
      if (offset === 0) read.version = checkFirst(entry, response);
      else if (response.status === 416 && offset < entry.size) {
        await body.cancel();
        throw changedError(entry, `now shorter than the ${offset} bytes already read`);
      }
    } else if (!(response.status === 416 && offset >= entry.size)) {
      try {
        if (checkResumed(entry, read.version, response, offset) === 'whole')
          return body.pipeThrough(skipBytes(offset)).getReader();
      } catch (error) {
        await body.cancel();
        throw error;
      }
    }
    if (response.status === 416) {
      await body.cancel();
      // Range starting at the end of the file: nothing left to read (RFC 9110 §15.5.17).
      return new ReadableStream<Uint8Array>({ start: (c) => c.close() }).getReader();
    }
    // 200 to a Range request: the server sent the whole file; drop what we already have.
    return (offset > 0 && response.status === 200 ? body.pipeThrough(skipBytes(offset)) : body).getReader();
  }

  async function withRetry<T>(attempt: () => Promise<T>, signal: AbortSignal): Promise<T> {
    for (let tries = 0; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        const delay = retryDelays[tries];
        if (signal.aborted) throw signal.reason;
        if (delay === undefined || !isRetryable(error)) throw error;
        await sleep(delay, signal);
      }
    }
  }

  return {
    list: (signal, onUnreadable) => walkDav(client, selection, signal, { onUnreadable }),

    async open(entry, offset, signal) {
      const read: { version?: FileVersion } = {};
      const reader = await withRetry(() => openAt(entry, offset, read, signal), signal);
      if (!reader) return null;
      const streak = bodyRetry && streakRetry(bodyRetry);
      return resumableBody(reader, {
        entry,
        offset,
        signal,
        reopen: (from) => withRetry(() => openAt(entry, from, read, signal), signal),
        retryDelay: (failures, error) =>
          !isRetryable(error) ? undefined : streak ? streak(failures) : retryDelays[failures - 1],
        sleep: bodyRetry?.sleep ?? sleep,
      });
    },
  };
}

/** Network failures (fetch TypeError, body stream "terminated"), 5xx, 408 and 429 are worth another try. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof WebDavError) return error.status >= 500 || error.status === 408 || error.status === 429;
  if (error instanceof AppError) return error.code === 'network';
  return error instanceof TypeError;
}
