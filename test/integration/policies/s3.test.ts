/**
 * The in-browser upload route against an `s3` policy whose bucket is a real S3
 * implementation (s3rver behind a SigV4-checking front, tools/s3-server.ts) on its
 * own origin: the sandbox creates the multipart upload, presigns the part and completion
 * URLs, and its callback checks the finished object before it creates the file
 * (cloudreve/cloudreve driver/s3 `CompleteUpload`).
 */
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discardUpload, uploadFile } from '../../../lib/cloudreve/upload';
import type { CloudreveResumeState } from '../../../lib/cloudreve/upload-resume';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { MIN_PART_SIZE, startS3Server, type S3Server } from '../../../tools/s3-server';
import {
  bearerLeaks,
  bytes,
  digest,
  digestOf,
  eventually,
  recorder,
  signIn,
  storedPath,
  workerClient,
  type Call,
  type Fate,
  type Tokens,
} from './helpers';

const MIB = 1024 * 1024;
/** Three parts: 5 + 5 + 2 MiB (S3 wants 5 MiB at least for all but the last). */
const FILE = bytes(12 * MIB, 17);

let s3: S3Server;
let sb: Sandbox;
let tokens: Tokens;
let n = 0;

beforeAll(async () => {
  s3 = await startS3Server();
  sb = await startSandbox({
    page: 'placeholder',
    config: {
      policy: {
        type: 's3',
        chunkSize: MIN_PART_SIZE,
        chunkConcurrency: 1,
        maxEditSize: MIB,
        s3: { endpoint: s3.url, bucket: s3.bucket, ...s3.credentials },
      },
    },
  });
  tokens = await signIn(sb);
});
afterAll(async () => {
  await sb?.stop();
  await s3?.stop();
});
beforeEach(() => s3.partPuts.clear());

const partNumber = (call: Call) =>
  call.method === 'PUT' && call.url.origin === s3.url ? Number(call.url.searchParams.get('partNumber')) : undefined;
const putsOf = (calls: Call[]) => calls.map(partNumber).filter((p) => p !== undefined);
const target = () => `cloudreve://my/S3/archive-${n++}.zip`;
const upload = (file = FILE) => new Blob([file]);

/** Starts an upload on a worker whose requests meet `fate`, and abandons it as a killed worker does. */
function abandonedUpload(uri: string, fate: (call: Call) => Fate) {
  const record = recorder();
  const first = workerClient(sb, tokens, fate);
  void uploadFile({
    client: first.client,
    uri,
    file: upload(),
    signal: new AbortController().signal,
    ...record,
  });
  return record;
}

describe('s3 policy', () => {
  it('PUTs the parts to presigned URLs, completes the multipart upload, and Cloudreve creates the file', async () => {
    const uri = target();
    const { client, calls } = workerClient(sb, tokens);
    const result = await uploadFile({
      client,
      uri,
      file: upload(),
      signal: new AbortController().signal,
    });
    expect(result.size).toBe(FILE.length);
    expect(await digestOf(storedPath(sb, uri))).toBe(digest(FILE));
    expect(putsOf(calls)).toEqual([1, 2, 3]);
    const complete = calls.filter((c) => c.method === 'POST' && c.url.origin === s3.url);
    expect(complete).toHaveLength(1);
    expect(complete[0]!.url.searchParams.has('uploadId')).toBe(true);
    expect(calls.filter((c) => c.method === 'GET' && c.url.pathname.startsWith('/api/v4/callback/s3/'))).toHaveLength(
      1,
    );
    // The token goes to Cloudreve only; the callback is authenticated by its secret.
    expect(bearerLeaks(calls, sb.url)).toEqual([]);
    expect(calls.filter((c) => c.url.origin === s3.url).every((c) => !c.headers.has('authorization'))).toBe(true);
    expect(
      calls.filter((c) => c.url.pathname.startsWith('/api/v4/callback/')).every((c) => !c.headers.has('authorization')),
    ).toBe(true);
    expect(await s3.openUploads()).toEqual([]);
  });

  it('resumes on the same multipart upload after a killed worker, re-sending only the part whose answer was lost', async () => {
    const uri = target();
    // Worker 1: part 2 reaches S3 but its answer is lost, as when the worker dies mid-request.
    const record = abandonedUpload(uri, (call) => (partNumber(call) === 2 ? 'lost-after' : 'pass'));
    await record.until((state) => state.session?.done.length === 1);
    await eventually(() => [...s3.partPuts.values()].some((counts) => counts.get(2) === 1), 'part 2 reached S3');
    const resume = record.latest() as CloudreveResumeState;
    expect(resume.session?.provider?.etags[0]).toMatch(/^"?[0-9a-f]{32}"?$/);

    const second = workerClient(sb, tokens);
    const result = await uploadFile({
      client: second.client,
      uri,
      file: upload(),
      signal: new AbortController().signal,
      resume,
      ...record,
    });
    expect(result.size).toBe(FILE.length);
    expect(await digestOf(storedPath(sb, uri))).toBe(digest(FILE));
    // Same session, same multipart upload: no new session, part 1 never again.
    expect(second.calls.filter((c) => c.method === 'PUT' && c.url.pathname === '/api/v4/file/upload')).toEqual([]);
    expect(putsOf(second.calls)).toEqual([2, 3]);
    expect(s3.partPuts.size).toBe(1);
    expect(Object.fromEntries([...s3.partPuts.values()][0]!)).toEqual({ 1: 1, 2: 2, 3: 1 });
    expect(await s3.openUploads()).toEqual([]);
  });

  it('recognises its finished file when the worker died waiting for the callback answer', async () => {
    const uri = target();
    const record = abandonedUpload(uri, (call) =>
      call.url.pathname.startsWith('/api/v4/callback/') ? 'lost-after' : 'pass',
    );
    await record.until((state) => state.session?.provider?.completed === true);
    await eventually(
      async () => (await stat(storedPath(sb, uri))).size === FILE.length,
      'the callback created the file',
    );
    const second = workerClient(sb, tokens);
    const result = await uploadFile({
      client: second.client,
      uri,
      file: upload(),
      signal: new AbortController().signal,
      resume: record.latest(),
    });
    expect(result.size).toBe(FILE.length);
    expect(putsOf(second.calls)).toEqual([]);
  });

  it('cancel aborts the multipart upload and the Cloudreve session (placeholder removed)', async () => {
    const uri = target();
    const controller = new AbortController();
    const { client } = workerClient(sb, tokens);
    const error = await uploadFile({
      client,
      uri,
      file: upload(),
      signal: controller.signal,
      onResumeState: async (state) => {
        if ((state as CloudreveResumeState).session?.done.length === 1) controller.abort();
      },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(s3.partPuts.size).toBe(1);
    expect(await s3.openUploads()).toEqual([]);
    await expect(stat(storedPath(sb, uri))).rejects.toThrow();
    expect(sb.state.uploads.size).toBe(0);
  });

  it('a job cancelled while no worker runs it aborts the multipart upload too (discard)', async () => {
    const uri = target();
    const record = abandonedUpload(uri, (call) => (partNumber(call) === 2 ? 'lost-before' : 'pass'));
    await record.until((state) => state.session?.done.length === 1);
    expect(await s3.openUploads()).toHaveLength(1);
    const { client } = workerClient(sb, tokens);
    await discardUpload(client, record.latest()!);
    expect(await s3.openUploads()).toEqual([]);
    await expect(stat(storedPath(sb, uri))).rejects.toThrow();
  });

  it('an expired session is not continued: its placeholder and multipart upload go, a new session starts', async () => {
    const uri = target();
    const record = abandonedUpload(uri, (call) => (partNumber(call) === 2 ? 'lost-before' : 'pass'));
    const expired = structuredClone(await record.until((state) => state.session?.done.length === 1));
    expired.session!.expires = Date.now() - 1000;
    const second = workerClient(sb, tokens);
    const result = await uploadFile({
      client: second.client,
      uri,
      file: upload(),
      signal: new AbortController().signal,
      resume: expired,
    });
    expect(result.size).toBe(FILE.length);
    expect(putsOf(second.calls)).toEqual([1, 2, 3]);
    expect(await s3.openUploads()).toEqual([]);
  });

  it('pauses before the first byte to the storage origin until access is granted, then goes on', async () => {
    const uri = target();
    const waits: (string | undefined)[] = [];
    let grant!: () => void;
    const granted = new Promise<void>((resolve) => (grant = resolve));
    const asked: string[] = [];
    const { client, calls } = workerClient(sb, tokens);
    const running = uploadFile({
      client,
      uri,
      file: upload(),
      signal: new AbortController().signal,
      storageAccess: {
        has: async (origin) => (asked.push(origin), false),
        whenGranted: () => granted,
      },
      onWaiting: async (origin) => void waits.push(origin),
    });
    await eventually(() => waits.length === 1, 'the upload paused');
    expect(asked).toEqual([s3.url]);
    expect(waits).toEqual([s3.url]);
    expect(calls.filter((c) => c.url.origin === s3.url)).toEqual([]);
    grant();
    expect((await running).size).toBe(FILE.length);
    expect(waits).toEqual([s3.url, undefined]);
  });
});

describe('the S3 front enforces what s3rver does not', () => {
  it('refuses a request whose presigned signature does not match', async () => {
    const res = await fetch(
      `${s3.url}/${s3.bucket}/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host&X-Amz-Credential=S3RVER/20260101/us-east-1/s3/aws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-Signature=00`,
      { method: 'PUT', body: 'x' },
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('SignatureDoesNotMatch');
  });
});
