import { describe, expect, it } from 'vitest';
import { createCloudreveClient } from './client';
import { createCloudreveSource } from './source';
import { createFakeDrive } from './testing/fake-drive';
import { createFakeFetch, type FakeHandler, type FakeRequest } from './testing/fake-fetch';
import type { SourceEntry } from '../archive/types';

const noWait = { attempts: 4, baseDelayMs: 1, sleep: async () => {} };
const big = 'x'.repeat(1000) + 'y'.repeat(1000);

/** A body that delivers `count` bytes of `bytes` and then breaks. */
function breakingBody(bytes: Uint8Array<ArrayBuffer>, count: number): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent || count === 0) {
        controller.error(new TypeError('terminated'));
        return;
      }
      sent = true;
      controller.enqueue(bytes.slice(0, count));
    },
  });
}

function setup(content: (request: FakeRequest, bytes: Uint8Array<ArrayBuffer>) => Response | Promise<Response>) {
  const drive = createFakeDrive({ 'big.bin': big, 'small.txt': 'hi', Docs: { 'c.txt': 'ccc' } });
  const byId = new Map([...drive.files.values()].map((file) => [file.id, drive.contents.get(file.path)!]));
  const serve: FakeHandler = (request) => content(request, byId.get(request.url.pathname.split('/')[5]!)!);
  const fake = createFakeFetch([...drive.routes, ['GET *', serve]]);
  const client = createCloudreveClient({
    origin: 'https://cloud.example',
    fetch: fake.fetch,
    getAccessToken: async () => 'SECRET',
  });
  const source = createCloudreveSource({
    client,
    selection: ['cloudreve://my/big.bin', 'cloudreve://my/small.txt', 'cloudreve://my/Docs'],
    retry: noWait,
    urlBatchSize: 10,
  });
  const contentCalls = () => fake.calls.filter((call) => call.url.pathname.startsWith('/api/v4/file/content/'));
  return { drive, source, calls: fake.calls, contentCalls };
}

function rangeResponse(request: FakeRequest, bytes: Uint8Array<ArrayBuffer>): Response {
  const range = request.headers.get('range');
  if (!range) return new Response(bytes);
  const from = Number(/bytes=(\d+)-/.exec(range)![1]);
  return new Response(bytes.slice(from), {
    status: 206,
    headers: { 'Content-Range': `bytes ${from}-${bytes.length - 1}/${bytes.length}` },
  });
}

async function entries(source: ReturnType<typeof setup>['source']): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  for await (const entry of source.list(new AbortController().signal)) out.push(entry);
  return out;
}

async function text(stream: ReadableStream<Uint8Array> | null): Promise<string> {
  return new Response(stream).text();
}

describe('createCloudreveSource', () => {
  it('reads files through signed URLs, prefetched in one batch, without the Bearer token', async () => {
    const t = setup(rangeResponse);
    const list = await entries(t.source);
    expect(list.map((entry) => entry.name)).toEqual(['big.bin', 'small.txt', 'Docs', 'Docs/c.txt']);
    const signal = new AbortController().signal;
    expect(await text(await t.source.open(list[0]!, 0, signal))).toBe(big);
    expect(await text(await t.source.open(list[1]!, 0, signal))).toBe('hi');
    expect(await text(await t.source.open(list[3]!, 0, signal))).toBe('ccc');
    const urlCalls = t.calls.filter((call) => call.url.pathname === '/api/v4/file/url');
    expect(urlCalls.map((call) => (call.json as { uris: string[] }).uris.length)).toEqual([3]);
    for (const call of t.contentCalls()) expect(call.headers.has('authorization')).toBe(false);
  });

  it('signs URLs once when several files are opened at the same time (read-ahead)', async () => {
    const t = setup(rangeResponse);
    const list = (await entries(t.source)).filter((entry) => entry.kind === 'file');
    const signal = new AbortController().signal;
    const bodies = await Promise.all(list.map((entry) => t.source.open(entry, 0, signal)));
    expect(await Promise.all(bodies.map(text))).toEqual([big, 'hi', 'ccc']);
    const urlCalls = t.calls.filter((call) => call.url.pathname === '/api/v4/file/url');
    expect(urlCalls).toHaveLength(1);
  });

  it('opens at an offset with Range and checks for 206', async () => {
    const t = setup(rangeResponse);
    const [entry] = await entries(t.source);
    expect(await text(await t.source.open(entry!, 1500, new AbortController().signal))).toBe('y'.repeat(500));
    expect(t.contentCalls()[0]!.headers.get('range')).toBe('bytes=1500-');
  });

  it('opens at the very end as an empty stream when the server answers 416', async () => {
    const t = setup((request, bytes) =>
      request.headers.get('range') === `bytes=${bytes.length}-`
        ? new Response(null, { status: 416 })
        : rangeResponse(request, bytes),
    );
    const [entry] = await entries(t.source);
    expect(await text(await t.source.open(entry!, 2000, new AbortController().signal))).toBe('');
  });

  it('drops already-read bytes when the server ignores Range', async () => {
    const t = setup((_, bytes) => new Response(bytes));
    const [entry] = await entries(t.source);
    expect(await text(await t.source.open(entry!, 999, new AbortController().signal))).toBe('x' + 'y'.repeat(1000));
  });

  it('resumes a body that breaks halfway with Range from the bytes delivered', async () => {
    let first = true;
    const t = setup((request, bytes) => {
      if (first) {
        first = false;
        return new Response(breakingBody(bytes, 700));
      }
      return rangeResponse(request, bytes);
    });
    const [entry] = await entries(t.source);
    expect(await text(await t.source.open(entry!, 0, new AbortController().signal))).toBe(big);
    expect(t.contentCalls().map((call) => call.headers.get('range'))).toEqual([null, 'bytes=700-']);
  });

  it('resumes a body that ends early', async () => {
    let first = true;
    const t = setup((request, bytes) => {
      if (first) {
        first = false;
        return new Response(bytes.slice(0, 1200));
      }
      return rangeResponse(request, bytes);
    });
    const [entry] = await entries(t.source);
    expect(await text(await t.source.open(entry!, 0, new AbortController().signal))).toBe(big);
    expect(t.contentCalls().at(-1)!.headers.get('range')).toBe('bytes=1200-');
  });

  it("downloads past the browser's HTTP cache (cache: 'no-store')", async () => {
    const t = setup(rangeResponse);
    const [entry] = await entries(t.source);
    await text(await t.source.open(entry!, 0, new AbortController().signal));
    expect(t.contentCalls().map((call) => call.cache)).toEqual(['no-store']);
  });

  it('retries 5xx and gives up after the bounded number of attempts', async () => {
    let failures = 2;
    const t = setup((request, bytes) =>
      failures-- > 0 ? new Response('busy', { status: 503 }) : rangeResponse(request, bytes),
    );
    const [entry] = await entries(t.source);
    expect(await text(await t.source.open(entry!, 0, new AbortController().signal))).toBe(big);
    expect(t.contentCalls()).toHaveLength(3);

    const down = setup(() => new Response('down', { status: 502 }));
    const [again] = await entries(down.source);
    // The server answered: "server-error", not "could not be reached" (issue 13 #3).
    await expect(down.source.open(again!, 0, new AbortController().signal)).rejects.toMatchObject({
      code: 'server-error',
      details: { status: 502 },
    });
    expect(down.contentCalls()).toHaveLength(noWait.attempts);
  });

  it('keeps resuming while each attempt makes progress', async () => {
    const t = setup((request, bytes) => {
      const from = Number(/bytes=(\d+)-/.exec(request.headers.get('range') ?? 'bytes=0-')![1]);
      return new Response(breakingBody(bytes.slice(from), 400), { status: from ? 206 : 200 });
    });
    const [entry] = await entries(t.source);
    expect(await text(await t.source.open(entry!, 0, new AbortController().signal))).toBe(big);
    expect(t.contentCalls().map((call) => call.headers.get('range'))).toEqual([
      null,
      'bytes=400-',
      'bytes=800-',
      'bytes=1200-',
      'bytes=1600-',
    ]);
  });

  it('fails the stream when resumes make no progress', async () => {
    const t = setup((_, bytes) => new Response(breakingBody(bytes, 0)));
    const [entry] = await entries(t.source);
    const stream = await t.source.open(entry!, 0, new AbortController().signal);
    await expect(text(stream)).rejects.toMatchObject({ code: 'network' });
    expect(t.contentCalls()).toHaveLength(noWait.attempts);
  });

  it('re-signs the URL after a 403', async () => {
    let refused = false;
    const t = setup((request, bytes) => {
      if (!refused) {
        refused = true;
        return new Response('expired', { status: 403 });
      }
      return rangeResponse(request, bytes);
    });
    const [entry] = await entries(t.source);
    expect(await text(await t.source.open(entry!, 0, new AbortController().signal))).toBe(big);
    expect(t.calls.filter((call) => call.url.pathname === '/api/v4/file/url')).toHaveLength(2);
  });

  it('returns null for a file that vanished (empty URL slot or 404)', async () => {
    const t = setup((_, bytes) => (bytes ? new Response(bytes) : new Response('gone', { status: 404 })));
    const list = await entries(t.source);
    t.drive.contents.delete('cloudreve://my/small.txt');
    const signal = new AbortController().signal;
    expect(await t.source.open(list[1]!, 0, signal)).toBeNull();

    const missing = setup(() => new Response('gone', { status: 404 }));
    const [entry] = await entries(missing.source);
    expect(await missing.source.open(entry!, 0, signal)).toBeNull();
  });
});
