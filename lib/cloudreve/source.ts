/**
 * ArchiveSource over the Cloudreve REST API: lists with `walkSelection`, reads bytes
 * from signed download URLs (`POST /file/url`, docs/cloudreve-api.md#download-urls), resuming broken
 * downloads with `Range` so a flaky network never restarts a large file (lib/net/resumed-download.ts).
 */
import type { ArchiveSource, SourceEntry } from '../archive/types';
import { AppError } from '../errors';
import { fetchOrNetworkError, type CloudreveClient } from './client';
import { getDownloadUrls, walkSelection } from './files';
import { openDownload } from '../net/resumed-download';
import { sleep } from '../sleep';
import { backoffDelay, DEFAULT_RETRY, isTransient, withRetry, type RetryPolicy } from './retry';
import { streakRetry, type RetryPolicy as JobRetryPolicy } from '../net/retry-policy';

export interface CloudreveSourceOptions {
  client: CloudreveClient;
  /** Selected `cloudreve://` URIs (FileResponse.path values). */
  selection: string[];
  /** URLs fetched per `POST /file/url`, ahead of the file being opened. */
  urlBatchSize?: number;
  retry?: RetryPolicy;
  /**
   * A job's policy (lib/net/retry-policy.ts): a broken body is resumed until the streak of
   * breaks outlasts its time budget. Without it, after `retry.attempts` breaks in a row.
   */
  bodyRetry?: JobRetryPolicy;
  now?: () => number;
}

/** Re-sign a URL this long before the server says it expires. */
const URL_MARGIN_MS = 60_000;
/** Assumed lifetime when the server gives none (`entity_url_default_ttl` 3600 s, §5). */
const DEFAULT_URL_TTL_MS = 3_600_000;

interface CachedUrl {
  url: string | null;
  expires: number;
}

/** Creates the source; `list` must run before `open` for URL prefetching to help. */
export function createCloudreveSource(options: CloudreveSourceOptions): ArchiveSource {
  const { client } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const wait = retry.sleep ?? sleep;
  const now = options.now ?? Date.now;
  const batchSize = options.urlBatchSize ?? 50;
  const order: string[] = [];
  const position = new Map<string, number>();
  const cache = new Map<string, CachedUrl>();

  const fresh = (ref: string) => {
    const cached = cache.get(ref);
    return !!cached && (cached.url === null || cached.expires - URL_MARGIN_MS > now());
  };

  /**
   * URL batches in flight, by every ref they sign. The job opens several files
   * at once (read-ahead, lib/archive/zip-entries.ts): without this, each of them
   * would miss the cache together and ask for the same batch again.
   */
  const signing = new Map<string, Promise<unknown>>();

  async function urlFor(ref: string, signal: AbortSignal, forceRefresh: boolean): Promise<string | null> {
    if (!forceRefresh) {
      // No await unless a batch is pending: the check and the registration below
      // must happen in one turn, or concurrent callers would all miss each other.
      const pending = signing.get(ref);
      if (pending) await pending.catch(() => undefined);
      if (fresh(ref)) return cache.get(ref)!.url;
      if (signing.has(ref)) return urlFor(ref, signal, false);
    }
    const start = (position.get(ref) ?? order.length) + 1;
    const ahead = order.slice(start, start + batchSize * 2).filter((other) => !fresh(other) && !signing.has(other));
    const batch = [ref, ...ahead.slice(0, batchSize - 1)];
    const request = getDownloadUrls(client, batch, { batchSize, signal });
    for (const other of batch) signing.set(other, request);
    try {
      const { urls, expires } = await request;
      const until = expires ?? now() + DEFAULT_URL_TTL_MS;
      batch.forEach((other, index) => cache.set(other, { url: urls[index] ?? null, expires: until }));
    } finally {
      for (const other of batch) if (signing.get(other) === request) signing.delete(other);
    }
    return cache.get(ref)!.url;
  }

  /** One GET from `from`; null when the file vanished. Signed URLs never get the Bearer token. */
  async function get(entry: SourceEntry, from: number, ifRange: string | undefined, signal: AbortSignal) {
    let stale = false;
    return withRetry(
      retry,
      async () => {
        const url = await urlFor(entry.ref, signal, stale);
        stale = false;
        if (url === null) return null;
        const headers: Record<string, string> = from > 0 ? { Range: `bytes=${from}-` } : {};
        if (from > 0 && ifRange) headers['If-Range'] = ifRange;
        // `no-store`: archive downloads must not fill the browser's HTTP cache (issue 13 #9: 1.25 GB
        // after ten jobs); the request neither reads nor writes it (Fetch standard, "cache mode").
        const response = await fetchOrNetworkError(client.fetch, new URL(url, client.origin).href, {
          headers,
          signal,
          cache: 'no-store',
        });
        if (response.status === 404 || response.status === 410) return null;
        if (response.status === 401 || response.status === 403) {
          // Most likely an expired signature: sign again and retry.
          stale = true;
          throw new AppError('network', `Download URL refused (HTTP ${response.status})`, { status: 503 });
        }
        // The server answered: an HTTP 5xx is not "could not be reached".
        if (response.status >= 500)
          throw new AppError('server-error', `HTTP ${response.status} downloading ${entry.name}`, {
            status: response.status,
          });
        if ((!response.ok || !response.body) && response.status !== 416)
          throw new AppError('cloudreve', `HTTP ${response.status} downloading ${entry.name}`, {
            status: response.status,
          });
        return response;
      },
      signal,
    );
  }

  return {
    async *list(signal, onUnreadable) {
      for await (const entry of walkSelection(client, options.selection, signal, onUnreadable)) {
        if (entry.kind === 'file' && !position.has(entry.ref)) {
          position.set(entry.ref, order.length);
          order.push(entry.ref);
        }
        yield entry;
      }
    },
    async open(entry, offset, signal) {
      const bodyRetry = options.bodyRetry && streakRetry(options.bodyRetry);
      return openDownload(entry, offset, signal, {
        get: (from, ifRange) => get(entry, from, ifRange, signal),
        retryDelay: (failures, error) =>
          !isTransient(error)
            ? undefined
            : bodyRetry
              ? bodyRetry(failures)
              : failures < retry.attempts
                ? backoffDelay(retry, failures + 1)
                : undefined,
        sleep: options.bodyRetry?.sleep ?? wait,
        // The signed URL is not needed again; a later read of this file signs anew.
        onComplete: () => cache.delete(entry.ref),
      });
    },
  };
}
