/**
 * How long a job keeps asking a server that fails, and how long it waits between tries.
 *
 * A flaky home server should slow a job down, not kill it: every request of a job is
 * retried with exponential backoff and full jitter (so parallel requests do not come
 * back in lockstep), honours `Retry-After` (RFC 9110 §10.2.3), and gives up only when it
 * has kept failing for longer than a budget in *time* — a small count of attempts is
 * used up in a second by a burst of 5xx. Two budgets, by what the failure says:
 * - the server answered with an error (500, 408, 429, …): it is there but broken; give up
 *   after `serverErrorBudgetMs` and say what it answered;
 * - the server is not there (connection refused or reset, or a proxy's 502/503/504 for a
 *   backend that is down): wait for it, up to `unreachableBudgetMs` (30 minutes), showing
 *   "waiting for the server", and go on by itself when it answers again.
 */

export interface RetryPolicy {
  /** Upper bound of the first wait; doubles with each failure, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long one request may keep getting error answers before the job fails. */
  serverErrorBudgetMs: number;
  /** How long one request may find the server unreachable before the job gives up. */
  unreachableBudgetMs: number;
  /** Longest `Retry-After` honoured; a longer one is cut to this. */
  maxRetryAfterMs: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** In [0, 1); the jitter. */
  random?: () => number;
}

export const JOB_RETRY: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  serverErrorBudgetMs: 5 * 60_000,
  unreachableBudgetMs: 30 * 60_000,
  maxRetryAfterMs: 5 * 60_000,
};

/** What a failure says about the server: not worth another try, broken for now, or not there. */
export type FailureKind = 'final' | 'server-error' | 'unreachable';

/**
 * Statuses a retry may cure (RFC 9110 §15.5.9 408, RFC 6585 §4 429, §15.6 5xx). Never retried:
 * 501 and 505 (they do not change), 507 (a full disk, RFC 4918 §11.5: the caller says so).
 */
export function statusKind(status: number): FailureKind {
  if (status === 502 || status === 503 || status === 504) return 'unreachable';
  if (status === 408 || status === 429) return 'server-error';
  if (status >= 500 && status < 600 && ![501, 505, 507].includes(status)) return 'server-error';
  return 'final';
}

/** The budget for a failure of `kind`. */
export function budgetFor(policy: RetryPolicy, kind: Exclude<FailureKind, 'final'>): number {
  return kind === 'unreachable' ? policy.unreachableBudgetMs : policy.serverErrorBudgetMs;
}

/**
 * The wait before try `failures + 1`: full jitter over `base · 2^(failures-1)`, capped,
 * and never shorter than what the server asked for with `Retry-After`.
 */
export function retryDelay(policy: RetryPolicy, failures: number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.baseDelayMs * 2 ** Math.min(failures - 1, 30), policy.maxDelayMs);
  const jittered = Math.round((policy.random ?? Math.random)() * ceiling);
  const asked = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return Math.max(jittered, asked);
}

/** `Retry-After` as milliseconds from `now`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * For failures after an answer began (a download body that breaks): the wait before
 * resume number `failures` of a streak, or undefined once the streak has lasted longer
 * than the unreachable budget. One per download; `failures` restarts at 1 when bytes
 * flow again (lib/archive/resumable-body.ts).
 */
export function streakRetry(policy: RetryPolicy): (failures: number) => number | undefined {
  const now = policy.now ?? Date.now;
  let start = 0;
  return (failures) => {
    if (failures === 1) start = now();
    const delay = retryDelay(policy, failures);
    return now() + delay - start > policy.unreachableBudgetMs ? undefined : delay;
  };
}
