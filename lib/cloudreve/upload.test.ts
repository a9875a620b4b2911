import { describe, expect, it } from 'vitest';
import { createCloudreveClient } from './client';
import { createFakeFetch, envelope, ok, type FakeHandler } from './testing/fake-fetch';
import { uploadFile } from './upload';
import type { StoragePolicy } from './types';

const origin = 'https://cloud.example';
const uri = 'cloudreve://my/out/archive.zip';
const noWait = { attempts: 3, baseDelayMs: 1, sleep: async () => {} };

function bytes(length: number): Blob {
  return new Blob([Uint8Array.from({ length }, (_, i) => i % 251)]);
}

interface Setup {
  policy?: Partial<StoragePolicy>;
  chunkSize?: number;
  chunk?: FakeHandler;
  exists?: boolean;
  storedSize?: number;
  extra?: [string, FakeHandler][];
}

function setup(file: Blob, options: Setup = {}) {
  let inFlight = 0;
  let maxInFlight = 0;
  let existsNow = options.exists ?? false;
  const chunkHandler: FakeHandler = options.chunk ?? (() => ok());
  const fake = createFakeFetch([
    ...(options.extra ?? []),
    [
      'GET /api/v4/file/info',
      () =>
        existsNow
          ? ok({ name: 'archive.zip', size: options.storedSize ?? file.size, path: uri })
          : envelope(40016, undefined, 'Path not exist'),
    ],
    [
      'PUT /api/v4/file/content',
      () => {
        existsNow = true;
        return ok({ name: 'archive.zip', size: file.size });
      },
    ],
    [
      'PUT /api/v4/file/upload',
      () =>
        options.exists
          ? envelope(40004, undefined, 'Object existed')
          : ok({
              session_id: 'sess',
              chunk_size: options.chunkSize ?? 10,
              expires: 0,
              uri,
              storage_policy: {
                id: 'p',
                name: 'Default',
                type: 'local',
                max_size: 0,
                chunk_concurrency: 3,
                ...options.policy,
              },
              upload_urls: ['https://node.example/api/v4/slave/upload/sess'],
              credential: 'SLAVE-CRED',
            }),
    ],
    ['DELETE /api/v4/file/upload', () => ok()],
    [
      'POST *',
      async (request) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        const response = await chunkHandler(request);
        if (response.ok && (await response.clone().json()).code === 0) existsNow = true;
        return response;
      },
    ],
  ]);
  const client = createCloudreveClient({ origin, fetch: fake.fetch, getAccessToken: async () => 'TOKEN' });
  const chunkCalls = () => fake.calls.filter((call) => call.method === 'POST');
  return { client, calls: fake.calls, chunkCalls, maxInFlight: () => maxInFlight };
}

describe('uploadFile', () => {
  it('sends a small file with PUT /file/content after checking the name is free', async () => {
    const file = bytes(100);
    const t = setup(file);
    const progress: number[] = [];
    const stored = await uploadFile({
      client: t.client,
      uri,
      file,
      signal: new AbortController().signal,
      onProgress: (p) => progress.push(p.sent),
    });
    expect(stored.size).toBe(100);
    const put = t.calls.find((call) => call.method === 'PUT')!;
    expect(put.url.pathname).toBe('/api/v4/file/content');
    expect(put.url.searchParams.get('uri')).toBe(uri);
    expect(put.body).toHaveLength(100);
    expect(progress).toEqual([100]);
  });

  it('refuses to overwrite an existing file with PUT /file/content', async () => {
    const file = bytes(10);
    const t = setup(file, { exists: true });
    await expect(
      uploadFile({ client: t.client, uri, file, signal: new AbortController().signal }),
    ).rejects.toMatchObject({ code: 'destination-exists', serverCode: 40004 });
    expect(t.calls.some((call) => call.method === 'PUT')).toBe(false);
  });

  it('sends chunks of exact length, the last one shorter, within the concurrency limit', async () => {
    const file = bytes(95);
    const t = setup(file, { chunkSize: 10, policy: { chunk_concurrency: 3 } });
    const progress: number[] = [];
    await uploadFile({
      client: t.client,
      uri,
      file,
      signal: new AbortController().signal,
      maxEditSize: 50,
      onProgress: (p) => progress.push(p.sent),
    });
    const session = t.calls.find((call) => call.url.pathname === '/api/v4/file/upload' && call.method === 'PUT')!;
    expect(session.json).toMatchObject({ uri, size: 95 });
    expect(session.json).not.toHaveProperty('entity_type');
    const chunks = t.chunkCalls();
    expect(chunks.map((call) => call.url.pathname).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `/api/v4/file/upload/sess/${i}`).sort(),
    );
    const lengths = Object.fromEntries(chunks.map((call) => [call.url.pathname.split('/').pop(), call.body.length]));
    expect(lengths).toEqual({ 0: 10, 1: 10, 2: 10, 3: 10, 4: 10, 5: 10, 6: 10, 7: 10, 8: 10, 9: 5 });
    const chunk9 = chunks.find((call) => call.url.pathname.endsWith('/9'))!;
    expect([...chunk9.body]).toEqual([90, 91, 92, 93, 94]);
    expect(chunk9.headers.get('authorization')).toBe('Bearer TOKEN');
    expect(t.maxInFlight()).toBe(3);
    expect(progress.at(-1)).toBe(95);
  });

  it.each([
    [undefined, 1],
    [1, 1],
    [8, 3],
  ])('clamps chunk_concurrency %s to %i', async (concurrency, expected) => {
    const file = bytes(60);
    const t = setup(file, { chunkSize: 10, policy: { chunk_concurrency: concurrency } });
    await uploadFile({ client: t.client, uri, file, signal: new AbortController().signal, maxEditSize: 50 });
    expect(t.maxInFlight()).toBe(expected);
  });

  it('sends one chunk when chunk_size is 0', async () => {
    const file = bytes(70);
    const t = setup(file, { chunkSize: 0 });
    await uploadFile({ client: t.client, uri, file, signal: new AbortController().signal, maxEditSize: 50 });
    expect(t.chunkCalls().map((call) => call.body.length)).toEqual([70]);
  });

  it('retries a chunk after a network error', async () => {
    const file = bytes(30);
    let failed = false;
    const t = setup(file, {
      chunkSize: 10,
      chunk: (request) => {
        if (!failed && request.url.pathname.endsWith('/1')) {
          failed = true;
          throw new TypeError('fetch failed');
        }
        return ok();
      },
    });
    await uploadFile({
      client: t.client,
      uri,
      file,
      signal: new AbortController().signal,
      maxEditSize: 10,
      retry: noWait,
    });
    expect(t.chunkCalls().filter((call) => call.url.pathname.endsWith('/1'))).toHaveLength(2);
  });

  it('cancels the session with DELETE when a chunk fails for good', async () => {
    const file = bytes(30);
    const t = setup(file, { chunkSize: 10, chunk: () => envelope(40011, undefined, 'Upload session expired') });
    await expect(
      uploadFile({ client: t.client, uri, file, signal: new AbortController().signal, maxEditSize: 10, retry: noWait }),
    ).rejects.toMatchObject({ serverCode: 40011 });
    const cancel = t.calls.find((call) => call.method === 'DELETE')!;
    expect(cancel.json).toEqual({ id: 'sess', uri });
  });

  it('cancels the session with DELETE when aborted', async () => {
    const file = bytes(100);
    const controller = new AbortController();
    const t = setup(file, {
      chunkSize: 10,
      policy: { chunk_concurrency: 1 },
      chunk: (request) => {
        if (request.url.pathname.endsWith('/2')) controller.abort();
        return ok();
      },
    });
    await expect(
      uploadFile({ client: t.client, uri, file, signal: controller.signal, maxEditSize: 10 }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(t.calls.filter((call) => call.method === 'DELETE')).toHaveLength(1);
    expect(t.chunkCalls().length).toBeLessThan(10);
  });

  it('maps 40004 on session creation to destination-exists', async () => {
    const file = bytes(100);
    const t = setup(file, { exists: true });
    await expect(
      uploadFile({ client: t.client, uri, file, signal: new AbortController().signal, maxEditSize: 10 }),
    ).rejects.toMatchObject({ code: 'destination-exists' });
  });

  it('sends remote-policy chunks to upload_urls[0] with the session credential only', async () => {
    const file = bytes(25);
    const t = setup(file, { chunkSize: 10, policy: { type: 'remote' } });
    await uploadFile({ client: t.client, uri, file, signal: new AbortController().signal, maxEditSize: 10 });
    const chunks = t.chunkCalls();
    expect(chunks.map((call) => call.url.href).sort()).toEqual(
      [0, 1, 2].map((i) => `https://node.example/api/v4/slave/upload/sess?chunk=${i}`),
    );
    for (const call of chunks) expect(call.headers.get('authorization')).toBe('SLAVE-CRED');
  });

  it('refuses provider policies with a hint, cancelling the session', async () => {
    const file = bytes(25);
    const t = setup(file, { policy: { type: 's3', name: 'Bucket' } });
    const error = await uploadFile({
      client: t.client,
      uri,
      file,
      signal: new AbortController().signal,
      maxEditSize: 10,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'unsupported-policy', details: { policyType: 's3' } });
    expect((error as Error).message).toMatch(/s3.*WebDAV.*save to this computer/s);
    expect(t.calls.some((call) => call.method === 'DELETE')).toBe(true);
  });

  it('uses the relay path for a provider policy with relay on', async () => {
    const file = bytes(25);
    const t = setup(file, { chunkSize: 10, policy: { type: 'oss', relay: true } });
    await uploadFile({ client: t.client, uri, file, signal: new AbortController().signal, maxEditSize: 10 });
    expect(t.chunkCalls()).toHaveLength(3);
  });

  it('reports a stored size that differs from the blob', async () => {
    const file = bytes(30);
    const t = setup(file, { chunkSize: 10, storedSize: 29 });
    await expect(
      uploadFile({ client: t.client, uri, file, signal: new AbortController().signal, maxEditSize: 10 }),
    ).rejects.toMatchObject({ code: 'size-mismatch' });
  });
});
