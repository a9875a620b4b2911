/**
 * ArchiveSource over WebDAV: lists with walkDav, reads with streamed GETs that
 * retry network errors and 5xx with backoff and resume mid-stream with `Range`
 * (RFC 9110 §14.2) from the last byte delivered (lib/net/resumed-download.ts).
 */
import type { ArchiveSource } from '../archive/types';
import { AppError, WebDavError } from '../errors';
import type { DavClient } from './client';
import { openDownload } from '../net/resumed-download';
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

/** Creates the WebDAV ArchiveSource. */
export function createDavSource({
  client,
  selection,
  retryDelays = [500, 1000, 2000, 4000],
  bodyRetry,
}: DavSourceOptions): ArchiveSource {
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
      const streak = bodyRetry && streakRetry(bodyRetry);
      return openDownload(entry, offset, signal, {
        get: (from, ifRange) => withRetry(() => client.get(entry.ref, { offset: from, ifRange, signal }), signal),
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
