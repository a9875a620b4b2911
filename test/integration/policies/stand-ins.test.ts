/**
 * The in-browser upload route against the sandbox's OneDrive, Qiniu and Upyun stand-ins
 * (sandbox/storage/providers.ts), each on the sandbox's second (storage) origin.
 */
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadFile } from '../../../lib/cloudreve/upload';
import type { CloudreveResumeState } from '../../../lib/cloudreve/upload-resume';
import { startSandbox, type Sandbox } from '../../../sandbox/server';
import { ONEDRIVE_FRAGMENT_UNIT, QINIU_MIN_PART } from '../../../sandbox/storage/providers';
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
  type Tokens,
} from './helpers';

const MIB = 1024 * 1024;

let sb: Sandbox;
let tokens: Tokens;
let n = 0;

beforeAll(async () => {
  sb = await startSandbox({ page: 'placeholder', config: { policy: { chunkConcurrency: 1, maxEditSize: MIB } } });
  tokens = await signIn(sb);
});
afterAll(() => sb?.stop());

const target = (type: string) => `cloudreve://my/${type}/archive-${n++}.zip`;
const toStorage = (calls: Call[]) => calls.filter((call) => call.url.origin === sb.storageUrl);
const run = (
  options: Partial<Parameters<typeof uploadFile>[0]> &
    Pick<Parameters<typeof uploadFile>[0], 'client' | 'uri' | 'file'>,
) => uploadFile({ signal: new AbortController().signal, ...options });

describe('onedrive policy', () => {
  const FILE = bytes(3 * 2 * ONEDRIVE_FRAGMENT_UNIT + 1000, 3);
  beforeAll(() => {
    sb.config.policy.type = 'onedrive';
    sb.config.policy.chunkSize = 2 * ONEDRIVE_FRAGMENT_UNIT;
  });

  it('PUTs Content-Range fragments in order to the upload URL, then calls back', async () => {
    sb.config.policy.type = 'onedrive';
    const uri = target('od');
    const { client, calls } = workerClient(sb, tokens);
    const result = await run({ client, uri, file: new Blob([FILE]) });
    expect(result.size).toBe(FILE.length);
    expect(await digestOf(storedPath(sb, uri))).toBe(digest(FILE));
    const ranges = toStorage(calls).map((call) => call.headers.get('content-range'));
    const unit = 2 * ONEDRIVE_FRAGMENT_UNIT;
    expect(ranges).toEqual(
      [0, 1, 2, 3].map((i) => `bytes ${i * unit}-${Math.min((i + 1) * unit, FILE.length) - 1}/${FILE.length}`),
    );
    expect(toStorage(calls).every((call) => !call.headers.has('authorization'))).toBe(true);
    expect(
      calls.filter((c) => c.method === 'POST' && c.url.pathname.startsWith('/api/v4/callback/onedrive/')),
    ).toHaveLength(1);
    expect(bearerLeaks(calls, sb.url)).toEqual([]);
  });

  it('resumes after a lost answer: the overlap is detected and only what is missing is sent', async () => {
    sb.config.policy.type = 'onedrive';
    const uri = target('od');
    const record = recorder();
    const fragment = (call: Call) => call.headers.get('content-range')?.split(' ')[1]?.split('-')[0];
    const second = String(2 * ONEDRIVE_FRAGMENT_UNIT);
    const first = workerClient(sb, tokens, (call) => (fragment(call) === second ? 'lost-after' : 'pass'));
    void run({ client: first.client, uri, file: new Blob([FILE]), ...record });
    await record.until((state) => state.session?.done.length === 1);
    await eventually(() => first.calls.some((call) => fragment(call) === second), 'fragment 2 was sent');
    const resume = record.latest() as CloudreveResumeState;
    // Give the stand-in time to take the lost fragment in full: it answers only after writing it.
    await eventually(
      () => sb.state.uploads.get(resume.session!.id)!.provider!.nextByte > Number(second),
      'fragment 2 stored',
    );
    const again = workerClient(sb, tokens);
    const result = await run({ client: again.client, uri, file: new Blob([FILE]), resume });
    expect(result.size).toBe(FILE.length);
    expect(await digestOf(storedPath(sb, uri))).toBe(digest(FILE));
    const puts = toStorage(again.calls)
      .filter((call) => call.method === 'PUT')
      .map(fragment);
    // Fragment 2 answered 416 (already there), a GET asked where to go on, then 3 and 4.
    expect(puts).toEqual([second, String(4 * ONEDRIVE_FRAGMENT_UNIT), String(6 * ONEDRIVE_FRAGMENT_UNIT)]);
    expect(toStorage(again.calls).filter((call) => call.method === 'GET')).toHaveLength(1);
  });
});

describe('qiniu policy', () => {
  const FILE = bytes(2 * QINIU_MIN_PART + 4321, 5);
  beforeAll(() => {
    sb.config.policy.type = 'qiniu';
    sb.config.policy.chunkSize = QINIU_MIN_PART;
  });

  it('PUTs numbered parts with the upload token, completes with the etags, and Qiniu calls Cloudreve back', async () => {
    sb.config.policy.type = 'qiniu';
    const uri = target('qn');
    const { client, calls } = workerClient(sb, tokens);
    const result = await run({ client, uri, file: new Blob([FILE]) });
    expect(result.size).toBe(FILE.length);
    expect(await digestOf(storedPath(sb, uri))).toBe(digest(FILE));
    const storage = toStorage(calls);
    expect(storage.map((call) => `${call.method} ${call.url.pathname.split('/').at(-1)}`)).toEqual([
      'PUT 1',
      'PUT 2',
      'PUT 3',
      expect.stringMatching(/^POST /),
    ]);
    expect(storage.every((call) => /^UpToken \S+$/.test(call.headers.get('authorization') ?? ''))).toBe(true);
    expect(bearerLeaks(calls, sb.url)).toEqual([]);
  });

  it('resumes without re-sending acknowledged parts, and cancel leaves no parts behind', async () => {
    sb.config.policy.type = 'qiniu';
    const uri = target('qn');
    const record = recorder();
    const part = (call: Call) =>
      call.url.origin === sb.storageUrl && call.method === 'PUT' ? call.url.pathname.split('/').at(-1) : undefined;
    const first = workerClient(sb, tokens, (call) => (part(call) === '2' ? 'lost-before' : 'pass'));
    void run({ client: first.client, uri, file: new Blob([FILE]), ...record });
    await record.until((state) => state.session?.done.length === 1);
    const again = workerClient(sb, tokens);
    const result = await run({ client: again.client, uri, file: new Blob([FILE]), resume: record.latest() });
    expect(result.size).toBe(FILE.length);
    expect(again.calls.map(part).filter(Boolean)).toEqual(['2', '3']);

    const cancelled = target('qn');
    const controller = new AbortController();
    await run({
      client: again.client,
      uri: cancelled,
      file: new Blob([FILE]),
      signal: controller.signal,
      onResumeState: async (state) => {
        if ((state as CloudreveResumeState).session?.done.length === 1) controller.abort();
      },
    }).catch(() => undefined);
    expect(sb.state.uploads.size).toBe(0);
    await expect(stat(storedPath(sb, cancelled))).rejects.toThrow();
    await expect(stat(`${storedPath(sb, cancelled)}.part1`)).rejects.toThrow();
  });
});

describe('upyun policy', () => {
  const FILE = bytes(3 * MIB + 17, 9);

  it('POSTs one form with policy, signature and the file, then waits for Upyun to notify Cloudreve', async () => {
    sb.config.policy.type = 'upyun';
    const uri = target('up');
    const { client, calls } = workerClient(sb, tokens);
    const result = await run({ client, uri, file: new Blob([FILE]) });
    expect(result.size).toBe(FILE.length);
    expect(await digestOf(storedPath(sb, uri))).toBe(digest(FILE));
    const storage = toStorage(calls);
    expect(storage.map((call) => call.method)).toEqual(['POST']);
    expect(storage[0]!.headers.has('authorization')).toBe(false);
    expect(bearerLeaks(calls, sb.url)).toEqual([]);
  });
});
