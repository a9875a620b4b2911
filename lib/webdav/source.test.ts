import { describe, expect, it } from 'vitest';
import type { SourceEntry } from '../archive/types';
import { createDavClient } from './client';
import { createDavSource } from './source';

const DATA = new Uint8Array(1000).map((_, i) => i % 256);
const ENTRY: SourceEntry = { name: 'f.bin', kind: 'file', size: DATA.length, modified: 0, ref: 'dir/f.bin' };

interface Plan {
  /** Per call: a status, or bytes after which the body breaks, or 'ignore-range'. */
  steps: (number | { breakAfter: number } | { endAfter: number } | 'ignore-range')[];
}

/** A client over a fake fetch that serves DATA with Range, following a failure plan; records the Range headers. */
function sourceFor(plan: Plan) {
  const ranges: (string | null)[] = [];
  const caches: (RequestCache | undefined)[] = [];
  const fetch = (async (_input: RequestInfo | URL, init: RequestInit = {}) => {
    const range = new Headers(init.headers).get('Range');
    ranges.push(range);
    caches.push(init.cache);
    const step = plan.steps.shift() ?? 200;
    if (typeof step === 'number' && step !== 200) return new Response(null, { status: step });
    const offset = range && step !== 'ignore-range' ? Number(/bytes=(\d+)-/.exec(range)?.[1]) : 0;
    const bytes = DATA.subarray(offset);
    const breakAfter = typeof step === 'object' && 'breakAfter' in step ? step.breakAfter : Infinity;
    const endAfter = typeof step === 'object' && 'endAfter' in step ? step.endAfter : Infinity;
    let sent = 0;
    // Pull-based, like a socket: erroring a stream drops chunks still queued in it.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= bytes.length || sent >= endAfter) return controller.close();
        if (sent >= breakAfter) return controller.error(new TypeError('terminated'));
        controller.enqueue(bytes.slice(sent, sent + 64));
        sent += 64;
      },
    });
    return new Response(body, { status: offset ? 206 : 200 });
  }) as typeof globalThis.fetch;
  const client = createDavClient({ url: 'https://dav.test/', username: 'u', password: 'p', fetch });
  return { source: createDavSource({ client, selection: [], retryDelays: [1, 1, 1] }), ranges, caches };
}

async function read(stream: ReadableStream<Uint8Array> | null): Promise<Uint8Array> {
  if (!stream) throw new Error('no stream');
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const signal = new AbortController().signal;

describe('createDavSource.open', () => {
  it('resumes a broken download with Range from the last byte delivered', async () => {
    const { source, ranges } = sourceFor({ steps: [{ breakAfter: 256 }, { breakAfter: 128 }] });
    expect(await read(await source.open(ENTRY, 0, signal))).toEqual(DATA);
    expect(ranges).toEqual([null, 'bytes=256-', 'bytes=384-']);
  });

  it('resumes a body that ends before the listed size', async () => {
    const { source, ranges } = sourceFor({ steps: [{ endAfter: 512 }] });
    expect(await read(await source.open(ENTRY, 0, signal))).toEqual(DATA);
    expect(ranges).toEqual([null, 'bytes=512-']);
  });

  it('starts at an offset and copes with a server that ignores Range', async () => {
    const { source, ranges } = sourceFor({ steps: ['ignore-range'] });
    expect(await read(await source.open(ENTRY, 300, signal))).toEqual(DATA.subarray(300));
    expect(ranges).toEqual(['bytes=300-']);
  });

  it("downloads past the browser's HTTP cache (cache: 'no-store')", async () => {
    const { source, caches } = sourceFor({ steps: [{ breakAfter: 128 }] });
    await read(await source.open(ENTRY, 0, signal));
    expect(caches).toEqual(['no-store', 'no-store']);
  });

  it('retries 5xx with backoff, then succeeds', async () => {
    const { source, ranges } = sourceFor({ steps: [503, 502] });
    expect(await read(await source.open(ENTRY, 10, signal))).toEqual(DATA.subarray(10));
    expect(ranges).toHaveLength(3);
  });

  it('gives up after the last retry', async () => {
    const { source } = sourceFor({ steps: [500, 500, 500, 500] });
    await expect(source.open(ENTRY, 0, signal)).rejects.toMatchObject({ code: 'webdav', status: 500 });
  });

  it('does not retry client errors', async () => {
    const { source, ranges } = sourceFor({ steps: [403] });
    await expect(source.open(ENTRY, 0, signal)).rejects.toMatchObject({ status: 403 });
    expect(ranges).toHaveLength(1);
  });

  it('answers null for a vanished file and an empty stream at the end of the file', async () => {
    expect(await sourceFor({ steps: [404] }).source.open(ENTRY, 0, signal)).toBeNull();
    expect(await read(await sourceFor({ steps: [416] }).source.open(ENTRY, DATA.length, signal))).toHaveLength(0);
    await expect(sourceFor({ steps: [416] }).source.open(ENTRY, 5, signal)).rejects.toMatchObject({ status: 416 });
  });

  it('stops retrying once aborted', async () => {
    const controller = new AbortController();
    const { source } = sourceFor({ steps: [{ breakAfter: 64 }] });
    const stream = await source.open(ENTRY, 0, controller.signal);
    const reader = stream!.getReader();
    await reader.read();
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  });
});
