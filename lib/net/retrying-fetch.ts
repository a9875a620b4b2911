/**
 * The fetch every request of a job goes through (listing, URL batches, downloads, upload
 * chunks, WebDAV PROPFIND/GET/PUT/MOVE): a failure that a retry may cure is retried under
 * the job's RetryPolicy (lib/net/retry-policy.ts), so callers see either a response worth
 * reading or a final error that says what the server answered.
 *
 * Bodies are Blobs or strings here (never streams: Chromium cannot stream request bodies
 * over HTTP/1.1), so a request can be sent again as it is.
 */
import { AppError } from '../errors';
import { sleep } from '../sleep';
import { budgetFor, parseRetryAfter, retryDelay, statusKind, type FailureKind, type RetryPolicy } from './retry-policy';

/** Counts the requests of one job that wait for an absent server (several fetches may share one). */
export interface WaitTracker {
  begin(): void;
  end(): void;
}

/**
 * Tells `onChange` when a job starts waiting for a server that does not answer (with the
 * time the wait began) and when no request of it waits any more (undefined).
 */
export function createWaitTracker(onChange: (since: number | undefined) => void, now = Date.now): WaitTracker {
  let waiting = 0;
  return {
    begin: () => {
      if (waiting++ === 0) onChange(now());
    },
    end: () => {
      if (--waiting === 0) onChange(undefined);
    },
  };
}

/**
 * A request that needs to know when one of its attempts got no answer (the connection
 * failed after it may have reached the server) before the retry is sent: the one request
 * of a job that is not idempotent, Cloudreve's claim of a name, cannot tell its own effect
 * from another browser's afterwards (lib/cloudreve/upload.ts).
 */
export interface UnansweredAware {
  onUnanswered?: () => void;
}

/** Failures in a row after which a request counts as waiting for the server. */
const WAITING_AFTER = 2;

/** Wraps `fetcher` with the job's retries. */
export function createRetryingFetch(fetcher: typeof fetch, policy: RetryPolicy, waiting?: WaitTracker): typeof fetch {
  const now = policy.now ?? Date.now;
  const wait = policy.sleep ?? sleep;
  return async (input, init) => {
    const signal = init?.signal ?? undefined;
    let failures = 0;
    let streakStart = 0;
    let countedWaiting = false;
    const target = requestLabel(input, init);
    try {
      for (;;) {
        let kind: FailureKind;
        let retryAfter: number | undefined;
        let response: Response | undefined;
        let failure: unknown;
        try {
          response = await fetcher(input, init);
          kind = statusKind(response.status);
          if (kind === 'final') return response;
          retryAfter = parseRetryAfter(response.headers.get('Retry-After'), now());
        } catch (error) {
          if (signal?.aborted || !isTransportFailure(error)) throw error;
          (init as UnansweredAware | undefined)?.onUnanswered?.();
          kind = 'unreachable';
          failure = error;
        }
        if (failures++ === 0) streakStart = now();
        if (kind === 'unreachable' && failures >= WAITING_AFTER && !countedWaiting) {
          countedWaiting = true;
          waiting?.begin();
        }
        const delay = retryDelay(policy, failures, retryAfter);
        if (now() + delay - streakStart > budgetFor(policy, kind)) {
          throw await exhausted(target, kind, now() - streakStart, response, failure);
        }
        await response?.body?.cancel().catch(() => undefined);
        await wait(delay, signal);
      }
    } finally {
      if (countedWaiting) waiting?.end();
    }
  };
}

/** A failed fetch that is the network's doing (refused, reset, DNS), not an abort or our own error. */
function isTransportFailure(error: unknown): boolean {
  if (error instanceof AppError) return false;
  if (error instanceof DOMException && (error.name === 'AbortError' || error.name === 'TimeoutError')) return false;
  return (
    error instanceof TypeError || (error instanceof Error && /ECONNRESET|ECONNREFUSED|socket/i.test(error.message))
  );
}

function requestLabel(input: RequestInfo | URL, init?: RequestInit): string {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  return `${method} ${url.origin}${url.pathname}`;
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m >= 1 ? `${m} min` : `${Math.max(1, Math.round(ms / 1000))} s`;
}

/** The final error once the budget is spent: what the server answered, for how long. */
async function exhausted(
  target: string,
  kind: Exclude<FailureKind, 'final'>,
  elapsed: number,
  response: Response | undefined,
  failure: unknown,
): Promise<AppError> {
  const snippet = response ? (await response.text().catch(() => '')).trim().slice(0, 160) : '';
  const answer = response
    ? `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${snippet ? `: ${snippet}` : ''}`
    : `no answer (${failure instanceof Error ? (failure.cause instanceof Error ? failure.cause.message : failure.message) : String(failure)})`;
  const message = `${target} still failed after ${minutes(elapsed)}: ${answer}`;
  const details = { status: response?.status, retriedMs: elapsed, exhausted: true };
  return new AppError(kind === 'unreachable' ? 'server-unavailable' : 'server-error', message, details);
}
