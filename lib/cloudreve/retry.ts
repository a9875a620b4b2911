/** Bounded exponential backoff shared by downloads and chunk uploads. */
import { isAppError } from '../errors';
import { sleep } from '../sleep';

export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  /** Delay before the second attempt; doubles each time. */
  baseDelayMs: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500 };

/** The wait before attempt `attempt` (1-based; attempt 1 has none), capped at 30 s. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 2), 30_000);
}

/** Transport failures and HTTP 5xx are worth retrying; Cloudreve error codes are not. */
export function isTransient(error: unknown): boolean {
  if (!isAppError(error)) return error instanceof TypeError;
  // The job's retrying fetch already spent its time budget on this one (lib/net/retrying-fetch.ts).
  if (error.details.exhausted) return false;
  if (error.code === 'network') return true;
  const status = error.details.serverCode ?? error.details.status;
  return typeof status === 'number' && status >= 500 && status < 600;
}

/** Runs `task` until it succeeds, a non-transient error occurs, or attempts run out. */
export async function withRetry<T>(
  policy: RetryPolicy,
  task: (attempt: number) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const wait = policy.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (signal?.aborted || attempt >= policy.attempts || !isTransient(error)) throw error;
      await wait(backoffDelay(policy, attempt + 1), signal);
    }
  }
}
