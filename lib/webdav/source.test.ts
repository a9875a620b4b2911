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
    // 416 before the end: the file is now shorter than what was read of it.
    await expect(sourceFor({ steps: [416] }).source.open(ENTRY, 5, signal)).rejects.toMatchObject({
      code: 'source-changed',
    });
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

/**
 * A server holding one file that can change between requests: it answers
 * Range with 206 (Content-Range with the total), honours If-Range (RFC 9110
 * §13.1.5: a validator that no longer matches gets the whole new file, 200)
 * and breaks the body after `breakAfter` bytes when asked to.
 */
function changingServer(options: { etags: boolean }) {
  const file = { bytes: DATA, version: 1, breakAfter: Infinity };
  const requests: { range: string | null; ifRange: string | null }[] = [];
  const fetch = (async (_input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const range = headers.get('Range');
    const ifRange = headers.get('If-Range');
    requests.push({ range, ifRange });
    const etag = `"v${file.version}"`;
    const validators: Record<string, string> = options.etags ? { ETag: etag } : {};
    const honoured = range && (!ifRange || ifRange === etag);
    const offset = honoured ? Number(/bytes=(\d+)-/.exec(range)![1]) : 0;
    if (offset > file.bytes.length) {
      return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${file.bytes.length}` } });
    }
    const bytes = file.bytes.slice(offset);
    const breakAfter = file.breakAfter;
    file.breakAfter = Infinity;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= bytes.length) return controller.close();
        if (sent >= breakAfter) return controller.error(new TypeError('terminated'));
        controller.enqueue(bytes.slice(sent, sent + 64));
        sent += 64;
      },
    });
    return honoured
      ? new Response(body, {
          status: 206,
          headers: { ...validators, 'Content-Range': `bytes ${offset}-${file.bytes.length - 1}/${file.bytes.length}` },
        })
      : new Response(body, { status: 200, headers: { ...validators, 'Content-Length': String(bytes.length) } });
  }) as typeof globalThis.fetch;
  const client = createDavClient({ url: 'https://dav.test/', username: 'u', password: 'p', fetch });
  const source = createDavSource({ client, selection: [], retryDelays: [1, 1, 1] });
  return { file, requests, source };
}

/** Reads `stream` to its end; the file is replaced by `next` once `after` bytes have arrived. */
async function readChanging(
  stream: ReadableStream<Uint8Array> | null,
  change: () => void,
  after: number,
): Promise<Uint8Array> {
  const reader = stream!.getReader();
  const parts: Uint8Array[] = [];
  let got = 0;
  let changed = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    got += value.byteLength;
    if (!changed && got >= after) {
      changed = true;
      change();
    }
  }
  return read(new Blob(parts.map((part) => part.slice())).stream());
}

describe('createDavSource.open on a file that changes while it is read', () => {
  const grown = new Uint8Array(1500).map((_, i) => (i * 7) % 256);
  const shrunk = new Uint8Array(300).map((_, i) => (i * 3) % 256);

  it.each([true, false])('never resumes into a new version (ETag given: %s)', async (etags) => {
    const { file, requests, source } = changingServer({ etags });
    file.breakAfter = 512;
    const stream = await source.open(ENTRY, 0, signal);
    const read = readChanging(stream, () => Object.assign(file, { bytes: grown, version: 2 }), 256);
    await expect(read).rejects.toMatchObject({
      code: 'source-changed',
      details: { expected: DATA.length, actual: grown.length },
    });
    if (etags) expect(requests[1]).toEqual({ range: 'bytes=512-', ifRange: '"v1"' });
  });

  it('reports a file that shrank below what was read with its real size', async () => {
    const { file, source } = changingServer({ etags: false });
    file.breakAfter = 512;
    const stream = await source.open(ENTRY, 0, signal);
    const read = readChanging(stream, () => Object.assign(file, { bytes: shrunk, version: 2 }), 256);
    await expect(read).rejects.toMatchObject({ code: 'source-changed', details: { actual: shrunk.length } });
  });

  it('says so at once when the file no longer has its listed size', async () => {
    const { file, source } = changingServer({ etags: true });
    Object.assign(file, { bytes: grown, version: 2 });
    await expect(source.open(ENTRY, 0, signal)).rejects.toMatchObject({
      code: 'source-changed',
      message: expect.stringContaining(`listed with ${DATA.length} bytes, now ${grown.length}`),
    });
  });

  it('resumes the same version with If-Range when nothing changed', async () => {
    const { file, requests, source } = changingServer({ etags: true });
    file.breakAfter = 512;
    expect(await read(await source.open(ENTRY, 0, signal))).toEqual(DATA);
    expect(requests).toEqual([
      { range: null, ifRange: null },
      { range: 'bytes=512-', ifRange: '"v1"' },
    ]);
  });
});

describe('createDavSource.open from an offset (a job resumed after a restart)', () => {
  const grown = new Uint8Array(1500).map((_, i) => (i * 7) % 256);

  /** A source whose server answers every GET with `answer()`. */
  function answering(answer: () => Response) {
    const fetch = (async () => answer()) as unknown as typeof globalThis.fetch;
    const client = createDavClient({ url: 'https://dav.test/', username: 'u', password: 'p', fetch });
    return createDavSource({ client, selection: [], retryDelays: [1, 1, 1] });
  }

  it('refuses a 206 whose Content-Range starts elsewhere than asked', async () => {
    const source = answering(
      () => new Response(DATA, { status: 206, headers: { 'Content-Range': `bytes 0-999/${DATA.length}` } }),
    );
    await expect(source.open(ENTRY, 300, signal).then(read)).rejects.toMatchObject({
      message: expect.stringContaining('Unexpected Content-Range "bytes 0-999/1000"'),
    });
  });

  it('refuses a 206 from a file that is no longer the listed size', async () => {
    const source = answering(
      () => new Response(grown.subarray(300), { status: 206, headers: { 'Content-Range': 'bytes 300-1499/1500' } }),
    );
    await expect(source.open(ENTRY, 300, signal).then(read)).rejects.toMatchObject({
      code: 'source-changed',
      details: { expected: DATA.length, actual: grown.length },
    });
  });

  it('refuses a 200 to its Range request that holds a file of another size', async () => {
    const source = answering(() => new Response(grown, { status: 200, headers: { 'Content-Length': '1500' } }));
    await expect(source.open(ENTRY, 300, signal).then(read)).rejects.toMatchObject({
      code: 'source-changed',
      details: { expected: DATA.length, actual: grown.length },
    });
  });
});
