import { describe, expect, it } from 'vitest';
import { createCloudreveClient } from './client';
import { createFakeFetch, envelope, ok, type FakeHandler } from './testing/fake-fetch';
import type { ResumeState } from '../archive/types';
import { uploadFile, type UploadOptions } from './upload';
import type { CloudreveResumeState, SessionRecord } from './upload-resume';
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
  /** Another upload session holds the path's lock: session creation answers 40073. */
  lockedBy?: string;
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
      'PUT /api/v4/file/upload',
      () =>
        options.exists
          ? envelope(40004, undefined, 'Object existed')
          : options.lockedBy
            ? envelope(40073, undefined, 'Lock conflict')
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
                // Read only by the Upyun form upload.
                upload_policy: 'UPYUN-POLICY',
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
  it('claims even a small file with an upload session, never PUT /file/content (atomic name claim)', async () => {
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
    expect(t.calls.some((call) => call.url.pathname === '/api/v4/file/content')).toBe(false);
    // No "is the name free?" check first: the session itself is the claim.
    expect(t.calls[0]).toMatchObject({
      method: 'PUT',
      url: expect.objectContaining({ pathname: '/api/v4/file/upload' }),
    });
    expect(progress.at(-1)).toBe(100);
  });

  it('maps 40073 (the path is locked by another upload) on session creation to destination-exists', async () => {
    const file = bytes(10);
    const t = setup(file, { lockedBy: 'other' });
    await expect(
      uploadFile({ client: t.client, uri, file, signal: new AbortController().signal }),
    ).rejects.toMatchObject({ code: 'destination-exists' });
    expect(t.chunkCalls()).toHaveLength(0);
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
    await uploadFile({ client: t.client, uri, file, signal: new AbortController().signal });
    expect(t.maxInFlight()).toBe(expected);
  });

  it('sends one chunk when chunk_size is 0', async () => {
    const file = bytes(70);
    const t = setup(file, { chunkSize: 0 });
    await uploadFile({ client: t.client, uri, file, signal: new AbortController().signal });
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
      retry: noWait,
    });
    expect(t.chunkCalls().filter((call) => call.url.pathname.endsWith('/1'))).toHaveLength(2);
  });

  it('cancels the session with DELETE when a chunk fails for good', async () => {
    const file = bytes(30);
    const t = setup(file, { chunkSize: 10, chunk: () => envelope(40011, undefined, 'Upload session expired') });
    await expect(
      uploadFile({ client: t.client, uri, file, signal: new AbortController().signal, retry: noWait }),
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
    await expect(uploadFile({ client: t.client, uri, file, signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(t.calls.filter((call) => call.method === 'DELETE')).toHaveLength(1);
    expect(t.chunkCalls().length).toBeLessThan(10);
  });

  it('maps 40004 on session creation to destination-exists', async () => {
    const file = bytes(100);
    const t = setup(file, { exists: true });
    await expect(
      uploadFile({ client: t.client, uri, file, signal: new AbortController().signal }),
    ).rejects.toMatchObject({ code: 'destination-exists' });
  });

  it('sends remote-policy chunks to upload_urls[0] with the session credential only', async () => {
    const file = bytes(25);
    const t = setup(file, { chunkSize: 10, policy: { type: 'remote' } });
    await uploadFile({ client: t.client, uri, file, signal: new AbortController().signal });
    const chunks = t.chunkCalls();
    expect(chunks.map((call) => call.url.href).sort()).toEqual(
      [0, 1, 2].map((i) => `https://node.example/api/v4/slave/upload/sess?chunk=${i}`),
    );
    for (const call of chunks) expect(call.headers.get('authorization')).toBe('SLAVE-CRED');
  });

  it('refuses a policy type Cloudreve 4.18 does not have (Pro load balancing) with a hint, cancelling the session', async () => {
    const file = bytes(25);
    const t = setup(file, { policy: { type: 'load_balance', name: 'Bucket' } });
    const error = await uploadFile({
      client: t.client,
      uri,
      file,
      signal: new AbortController().signal,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'unsupported-policy', details: { policyType: 'load_balance' } });
    expect((error as Error).message).toMatch(/load_balance.*WebDAV.*save to this computer/s);
    expect(t.calls.some((call) => call.method === 'DELETE')).toBe(true);
  });

  /** Every policy type Cloudreve 4.18 has (docs/cloudreve-api.md#storage-policies). */
  const CLOUDREVE_4_18_POLICY_TYPES = [
    'local',
    'qiniu',
    'upyun',
    'oss',
    'cos',
    's3',
    'ks3',
    'onedrive',
    'remote',
    'obs',
  ];

  it.each(CLOUDREVE_4_18_POLICY_TYPES)('never calls the Cloudreve 4.18 policy type %s unsupported', async (type) => {
    const file = bytes(25);
    const t = setup(file, { policy: { type } });
    const outcome = await uploadFile({
      client: t.client,
      uri,
      file,
      signal: new AbortController().signal,
      retry: noWait,
    }).then(
      () => 'stored',
      (caught: unknown) => caught,
    );
    // It goes as far as sending bytes (provider types to their storage origin, which this fake does not answer).
    expect(outcome).not.toMatchObject({ code: 'unsupported-policy' });
    const sendsBytes = (call: (typeof t.calls)[number]) =>
      (call.method === 'PUT' || call.method === 'POST') && call.url.pathname !== '/api/v4/file/upload';
    expect(t.calls.some(sendsBytes)).toBe(true);
  });

  it('uses the relay path for a provider policy with relay on', async () => {
    const file = bytes(25);
    const t = setup(file, { chunkSize: 10, policy: { type: 'oss', relay: true } });
    await uploadFile({ client: t.client, uri, file, signal: new AbortController().signal });
    expect(t.chunkCalls()).toHaveLength(3);
  });

  it('reports a stored size that differs from the blob', async () => {
    const file = bytes(30);
    const t = setup(file, { chunkSize: 10, storedSize: 29 });
    await expect(
      uploadFile({ client: t.client, uri, file, signal: new AbortController().signal }),
    ).rejects.toMatchObject({ code: 'size-mismatch' });
  });
});

describe('uploadFile, resumed after a killed worker', () => {
  const hour = 3_600_000;
  const states: ResumeState[] = [];
  const record = async (state: ResumeState) => void states.push(structuredClone(state));
  const sessionState = (done: number[], session: Partial<SessionRecord> = {}): CloudreveResumeState => ({
    kind: 'cloudreve',
    uri,
    size: 95,
    session: { id: 'old', chunkSize: 10, expires: Date.now() + hour, concurrency: 2, relayed: true, done, ...session },
  });
  const info = (data: Record<string, unknown> | null): [string, FakeHandler] => [
    'GET /api/v4/file/info',
    () => (data ? ok({ type: 0, name: 'archive.zip', path: uri, metadata: null, ...data }) : envelope(40016)),
  ];
  const chunkIndexes = (t: ReturnType<typeof setup>, session: string) =>
    t
      .chunkCalls()
      .filter((call) => call.url.pathname.startsWith(`/api/v4/file/upload/${session}/`))
      .map((call) => Number(call.url.pathname.split('/').pop()))
      .sort((a, b) => a - b);
  /** A session upload (maxEditSize below the file) through the fake `t`. */
  const upload = (t: ReturnType<typeof setup>, file: Blob, options: Partial<UploadOptions> = {}) =>
    uploadFile({ client: t.client, uri, file, signal: new AbortController().signal, ...options });
  const methodCalls = (t: ReturnType<typeof setup>, method: string, pathname: string) =>
    t.calls.filter((call) => call.method === method && call.url.pathname === pathname);

  it('records the session, then every acknowledged chunk, before going on', async () => {
    states.length = 0;
    const file = bytes(95);
    const t = setup(file, { chunkSize: 10, policy: { chunk_concurrency: 1 } });
    await upload(t, file, { onResumeState: record });
    expect(states[0]).toEqual({
      kind: 'cloudreve',
      uri,
      size: 95,
      session: { id: 'sess', chunkSize: 10, expires: 0, concurrency: 1, relayed: true, done: [] },
    });
    expect(states.map((state) => (state as CloudreveResumeState).session!.done.length)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it('sends only the chunks the server did not acknowledge, to the recorded session', async () => {
    states.length = 0;
    const file = bytes(95);
    const t = setup(file, { chunkSize: 10 });
    const progress: number[] = [];
    await upload(t, file, {
      resume: sessionState([0, 1, 2, 3, 4, 7]),
      onResumeState: record,
      onProgress: (p) => progress.push(p.sent),
    });
    expect(methodCalls(t, 'PUT', '/api/v4/file/upload')).toHaveLength(0);
    expect(chunkIndexes(t, 'old')).toEqual([5, 6, 8, 9]);
    expect(progress[0]).toBe(70);
    expect(progress.at(-1)).toBe(95);
    expect((states.at(-1) as CloudreveResumeState).session!.done).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('takes a finished file of our size for ours when the session answers 40011 (completed before the kill)', async () => {
    const file = bytes(95);
    const t = setup(file, {
      chunk: () => envelope(40011, undefined, 'Upload session expired'),
      extra: [info({ size: 95 })],
    });
    const stored = await upload(t, file, { resume: sessionState([0, 1, 2, 3, 4, 5, 6, 7, 8]) });
    expect(stored.size).toBe(95);
    expect(chunkIndexes(t, 'old')).toEqual([9]);
    expect(methodCalls(t, 'PUT', '/api/v4/file/upload')).toHaveLength(0);
    expect(methodCalls(t, 'DELETE', '/api/v4/file/upload')).toHaveLength(0);
  });

  it('cancels an expired session with its placeholder and uploads anew to the same name', async () => {
    const file = bytes(95);
    let placeholder = true;
    const t = setup(file, {
      chunkSize: 10,
      extra: [
        ['DELETE /api/v4/file/upload', () => ((placeholder = false), ok())],
        [
          'GET /api/v4/file/info',
          () =>
            ok({
              type: 0,
              name: 'archive.zip',
              path: uri,
              ...(placeholder ? { size: 0, metadata: { 'sys:upload_session_id': 'old' } } : { size: 95 }),
            }),
        ],
      ],
    });
    await upload(t, file, { resume: sessionState([0, 1, 2], { expires: Date.now() - 1 }) });
    expect(chunkIndexes(t, 'old')).toEqual([]);
    expect(methodCalls(t, 'DELETE', '/api/v4/file/upload').map((call) => call.json)).toEqual([{ id: 'old', uri }]);
    expect(methodCalls(t, 'PUT', '/api/v4/file/upload')[0]!.json).toMatchObject({ uri, size: 95 });
    expect(chunkIndexes(t, 'sess')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('never continues a storage-node session (its credential is not kept): starts over', async () => {
    const file = bytes(95);
    const t = setup(file, { chunkSize: 10, extra: [info(null)] });
    await upload(t, file, { resume: sessionState([0], { relayed: false }) }).catch(() => undefined);
    expect(chunkIndexes(t, 'old')).toEqual([]);
    expect(methodCalls(t, 'PUT', '/api/v4/file/upload')).toHaveLength(1);
  });

  it.each([
    ['a finished file of another size', { size: 42 }],
    ["someone else's upload", { size: 0, metadata: { 'sys:upload_session_id': 'theirs' } }],
  ])('refuses the name when %s is there, sending nothing', async (_, data) => {
    const file = bytes(95);
    const t = setup(file, { chunk: () => envelope(40011), extra: [info(data)] });
    await expect(upload(t, file, { resume: sessionState([], { expires: Date.now() - 1 }) })).rejects.toMatchObject({
      code: 'destination-exists',
    });
    expect(t.chunkCalls()).toHaveLength(0);
    expect(methodCalls(t, 'PUT', '/api/v4/file/upload')).toHaveLength(0);
    expect(methodCalls(t, 'DELETE', '/api/v4/file/upload')).toHaveLength(0);
  });

  it('takes a file of our size for ours after a single PUT recorded by an older version', async () => {
    const file = bytes(30);
    const again = setup(file, { extra: [info({ size: 30 })] });
    const resume = { kind: 'cloudreve', uri, size: 30 };
    await uploadFile({ client: again.client, uri, file, signal: new AbortController().signal, resume });
    expect(again.calls.filter((call) => call.method === 'PUT' || call.method === 'POST')).toHaveLength(0);
  });

  it('ignores a state recorded for another URI or size', async () => {
    const file = bytes(95);
    const t = setup(file, { chunkSize: 10 });
    await upload(t, file, { resume: { ...sessionState([0, 1]), uri: 'cloudreve://my/other.zip' } });
    expect(chunkIndexes(t, 'old')).toEqual([]);
    expect(chunkIndexes(t, 'sess')).toHaveLength(10);
  });
});
