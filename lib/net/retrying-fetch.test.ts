import { describe, expect, it } from 'vitest';
import { createRetryingFetch, createWaitTracker } from './retrying-fetch';
import { JOB_RETRY, parseRetryAfter, retryDelay, statusKind, type RetryPolicy } from './retry-policy';

/** A clock that only moves when the code under test sleeps. */
function clock() {
  let time = 1_000_000;
  const waits: number[] = [];
  return {
    now: () => time,
    sleep: async (ms: number) => {
      waits.push(ms);
      time += ms;
    },
    waits,
    advance: (ms: number) => (time += ms),
  };
}

function policy(c: ReturnType<typeof clock>, patch: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...JOB_RETRY, now: c.now, sleep: c.sleep, random: () => 0.5, ...patch };
}

/** A fetch that plays `script` in order: a status, a status with headers, or 'reset'. */
function scripted(script: (number | 'reset' | [number, Record<string, string>])[]) {
  const calls: string[] = [];
  const fetcher = (async (input: RequestInfo | URL) => {
    calls.push(String(input));
    const step = script.shift() ?? 200;
    if (step === 'reset') throw new TypeError('fetch failed', { cause: new Error('read ECONNRESET') });
    const [status, headers] = Array.isArray(step) ? step : [step, {}];
    return new Response(status === 204 ? null : `body ${status}`, { status, headers });
  }) as typeof fetch;
  return { fetcher, calls };
}

describe('retry policy', () => {
  it('sorts statuses into final, server error and unreachable', () => {
    expect([200, 404, 412, 501, 505, 507].map(statusKind)).toEqual(Array(6).fill('final'));
    expect([500, 508, 408, 429].map(statusKind)).toEqual([
      'server-error',
      'server-error',
      'server-error',
      'server-error',
    ]);
    expect([502, 503, 504].map(statusKind)).toEqual(['unreachable', 'unreachable', 'unreachable']);
  });

  it('backs off exponentially with full jitter, capped, and never below Retry-After', () => {
    const p = { ...JOB_RETRY, random: () => 0.999 };
    expect([1, 2, 3, 4].map((n) => retryDelay(p, n))).toEqual([500, 999, 1998, 3996]);
    expect(retryDelay(p, 40)).toBe(29_970);
    expect(retryDelay({ ...p, random: () => 0 }, 3)).toBe(0);
    expect(retryDelay({ ...p, random: () => 0 }, 1, 7_000)).toBe(7_000);
    expect(retryDelay({ ...p, random: () => 0 }, 1, 3_600_000)).toBe(JOB_RETRY.maxRetryAfterMs);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('retrying fetch', () => {
  it('retries 5xx answers and resets until the server answers, then returns that answer', async () => {
    const c = clock();
    const { fetcher, calls } = scripted([500, 'reset', 502, 503, 200]);
    const response = await createRetryingFetch(fetcher, policy(c))('https://cloud.example/api/v4/file');
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(5);
    expect(c.waits).toHaveLength(4);
  });

  it('does not retry answers a retry cannot change', async () => {
    const { fetcher, calls } = scripted([404]);
    const response = await createRetryingFetch(fetcher, policy(clock()))('https://cloud.example/x');
    expect(response.status).toBe(404);
    expect(calls).toHaveLength(1);
  });

  it('waits as long as Retry-After says', async () => {
    const c = clock();
    const { fetcher } = scripted([[503, { 'Retry-After': '42' }], 200]);
    await createRetryingFetch(fetcher, policy(c))('https://cloud.example/x');
    expect(c.waits).toEqual([42_000]);
  });

  it('keeps retrying far beyond a handful of attempts while within the time budget', async () => {
    const c = clock();
    const { fetcher, calls } = scripted([...Array<number>(40).fill(500), 200]);
    const response = await createRetryingFetch(fetcher, policy(c, { maxDelayMs: 2_000 }))('https://cloud.example/x');
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(41);
  });

  it('gives up on a server that keeps answering 500 after the budget, saying what it answered', async () => {
    const c = clock();
    const { fetcher } = scripted(Array<number>(1000).fill(500));
    const error = await createRetryingFetch(fetcher, policy(c))('https://cloud.example/api/v4/file?uri=x', {
      method: 'GET',
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'server-error', details: { status: 500, exhausted: true } });
    expect((error as Error).message).toMatch(
      /^GET https:\/\/cloud\.example\/api\/v4\/file still failed after \d+ min: HTTP 500/,
    );
    expect((error as Error).message).toContain('body 500');
    expect(c.now() - 1_000_000).toBeLessThanOrEqual(JOB_RETRY.serverErrorBudgetMs);
    expect(c.now() - 1_000_000).toBeGreaterThan(JOB_RETRY.serverErrorBudgetMs - JOB_RETRY.maxDelayMs);
  });

  it('waits up to 30 minutes for an unreachable server, reporting the wait, then gives up', async () => {
    const c = clock();
    const changes: (number | undefined)[] = [];
    const tracker = createWaitTracker((since) => changes.push(since), c.now);
    const { fetcher } = scripted(Array<'reset'>(10_000).fill('reset'));
    const error = await createRetryingFetch(
      fetcher,
      policy(c),
      tracker,
    )('https://cloud.example/x').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'server-unavailable' });
    expect((error as Error).message).toMatch(/still failed after (29|30) min: no answer \(read ECONNRESET\)/);
    expect(changes).toEqual([expect.any(Number), undefined]);
  });

  it('goes on by itself when the server comes back, and stops showing the wait', async () => {
    const c = clock();
    const changes: (number | undefined)[] = [];
    const tracker = createWaitTracker((since) => changes.push(since), c.now);
    const { fetcher } = scripted([...Array<'reset'>(30).fill('reset'), 200]);
    const response = await createRetryingFetch(fetcher, policy(c), tracker)('https://cloud.example/x');
    expect(response.status).toBe(200);
    expect(changes).toEqual([expect.any(Number), undefined]);
  });

  it('stops at once when the job is cancelled', async () => {
    const controller = new AbortController();
    const fetcher = (async () => {
      controller.abort();
      throw new DOMException('aborted', 'AbortError');
    }) as typeof fetch;
    await expect(
      createRetryingFetch(fetcher, policy(clock()))('https://cloud.example/x', { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
