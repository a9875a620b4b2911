import { describe, expect, it } from 'vitest';
import { readAhead } from './read-ahead';

async function* numbers(count: number, log?: number[]): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    log?.push(i);
    yield i;
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('readAhead', () => {
  it('hands items out in order although their work finishes out of order', async () => {
    const work = new Map<number, ReturnType<typeof deferred<string>>>();
    const items = readAhead(numbers(5), {
      start: (n) => {
        const d = deferred<string>();
        work.set(n, d);
        return d.promise;
      },
      cost: () => 1,
      maxItems: 5,
      maxCost: 100,
      signal: new AbortController().signal,
    });
    const seen: string[] = [];
    const consuming = (async () => {
      for await (const { item, ready } of items) seen.push(`${item}:${await ready}`);
    })();
    await tick();
    // All five started at once; finish them backwards.
    expect([...work.keys()]).toEqual([0, 1, 2, 3, 4]);
    for (const n of [4, 3, 2, 1, 0]) work.get(n)!.resolve(`w${n}`);
    await consuming;
    expect(seen).toEqual(['0:w0', '1:w1', '2:w2', '3:w3', '4:w4']);
  });

  it('keeps at most maxItems queued and stays within maxCost', async () => {
    const pulled: number[] = [];
    let started = 0;
    let maxOutstanding = 0;
    let consumed = 0;
    const items = readAhead(numbers(20, pulled), {
      start: async () => {
        started++;
        maxOutstanding = Math.max(maxOutstanding, started - consumed);
      },
      cost: () => 10,
      maxItems: 8,
      maxCost: 30,
      signal: new AbortController().signal,
    });
    for await (const { ready } of items) {
      await ready;
      consumed++;
      expect(pulled.length - consumed).toBeLessThanOrEqual(8);
    }
    expect(consumed).toBe(20);
    // Cost 10 each under a budget of 30: never more than three started ahead.
    expect(maxOutstanding).toBeLessThanOrEqual(3);
  });

  it('passes items it was told not to start, without work', async () => {
    const out: [number, boolean][] = [];
    for await (const { item, ready } of readAhead(numbers(4), {
      start: (n) => (n % 2 ? Promise.resolve(n) : undefined),
      cost: () => 1,
      maxItems: 4,
      maxCost: 10,
      signal: new AbortController().signal,
    })) {
      out.push([item, ready !== undefined]);
    }
    expect(out).toEqual([
      [0, false],
      [1, true],
      [2, false],
      [3, true],
    ]);
  });

  it('reports a failure when its item is reached, with no unhandled rejection before', async () => {
    const seen: number[] = [];
    const run = async () => {
      for await (const { ready } of readAhead(numbers(4), {
        start: (n) => (n === 2 ? Promise.reject(new Error('item 2 failed')) : Promise.resolve(n)),
        cost: () => 1,
        maxItems: 4,
        maxCost: 10,
        signal: new AbortController().signal,
      })) {
        await tick();
        seen.push(await ready!);
      }
    };
    await expect(run()).rejects.toThrow('item 2 failed');
    expect(seen).toEqual([0, 1]);
  });

  it('aborts started work when the consumer stops early or the signal fires', async () => {
    const signals: AbortSignal[] = [];
    const outer = new AbortController();
    for await (const { item } of readAhead(numbers(10), {
      start: (_, signal) => {
        signals.push(signal);
        return new Promise(() => undefined);
      },
      cost: () => 1,
      maxItems: 4,
      maxCost: 10,
      signal: outer.signal,
    })) {
      if (item === 0) break;
    }
    expect(signals.length).toBe(4);
    expect(signals.every((signal) => signal.aborted)).toBe(true);

    outer.abort(new Error('cancelled'));
    const started: AbortSignal[] = [];
    for await (const _ of readAhead(numbers(3), {
      start: (__, signal) => (started.push(signal), Promise.resolve()),
      cost: () => 1,
      maxItems: 2,
      maxCost: 10,
      signal: outer.signal,
    })) {
      break;
    }
    expect(started[0]!.aborted).toBe(true);
  });
});
