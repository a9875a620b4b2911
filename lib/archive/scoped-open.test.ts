import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { childSignal, openScoped } from './scoped-open';
import type { SourceEntry } from './types';

const entry: SourceEntry = { name: 'a.txt', ref: 'a.txt', kind: 'file', size: 3, modified: 0 };
const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;
const bytes = () => new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array(3)), c.close()) });

describe('openScoped', () => {
  it('detaches from the job signal when the body is read to the end', async () => {
    const job = new AbortController();
    const body = await openScoped(async () => bytes(), entry, 0, job.signal);
    expect(listeners(job.signal)).toBe(1);
    expect((await new Response(body).arrayBuffer()).byteLength).toBe(3);
    expect(listeners(job.signal)).toBe(0);
  });

  it('detaches when the body errors, is cancelled, is null, or open throws', async () => {
    const job = new AbortController();
    const broken = await openScoped(
      async () => new ReadableStream<Uint8Array>({ pull: (c) => c.error(new TypeError('terminated')) }),
      entry,
      0,
      job.signal,
    );
    await expect(new Response(broken).arrayBuffer()).rejects.toThrow('terminated');
    const cancelled = await openScoped(async () => bytes(), entry, 0, job.signal);
    await cancelled!.cancel();
    expect(await openScoped(async () => null, entry, 0, job.signal)).toBeNull();
    await expect(
      openScoped(
        async () => {
          throw new Error('refused');
        },
        entry,
        0,
        job.signal,
      ),
    ).rejects.toThrow('refused');
    expect(listeners(job.signal)).toBe(0);
  });

  it('aborts the request when the job is aborted', async () => {
    const job = new AbortController();
    let seen: AbortSignal | undefined;
    await openScoped(async (_, __, signal) => ((seen = signal), bytes()), entry, 0, job.signal);
    job.abort(new Error('stop'));
    expect(seen!.aborted).toBe(true);
    expect(seen!.reason).toEqual(new Error('stop'));
  });
});

describe('childSignal', () => {
  it('starts aborted under an aborted parent and adds no listener', () => {
    const parent = new AbortController();
    parent.abort(new Error('gone'));
    const child = childSignal(parent.signal);
    expect(child.signal.aborted).toBe(true);
    expect(listeners(parent.signal)).toBe(0);
  });
});
