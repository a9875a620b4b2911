import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../server';
import { startSandbox } from '../server';
import { ONEDRIVE_FRAGMENT_UNIT, QINIU_MIN_PART } from '../storage/providers';
import { api, login } from './helpers';

let sb: Sandbox;
let token: string;
let n = 0;

beforeAll(async () => {
  sb = await startSandbox({ page: 'placeholder' });
  token = await login(sb);
});
afterAll(() => sb.stop());

// Session answers are loosely typed JSON; the tests read them field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function session(type: 'onedrive' | 'qiniu' | 'upyun', size: number, chunkSize: number): Promise<any> {
  sb.config.policy.type = type;
  sb.config.policy.chunkSize = chunkSize;
  const res = await api(sb, '/file/upload', {
    method: 'PUT',
    token,
    body: { uri: `cloudreve://my/providers/${type}-${n++}.bin`, size, mime_type: 'application/zip' },
  });
  expect(res.code).toBe(0);
  return res.data;
}

const callback = (type: string, id: string, secret: string, method = 'POST') =>
  fetch(`${sb.url}/api/v4/callback/${type}/${id}/${secret}`, { method });

describe('policy type in answers', () => {
  it('the session and the policy name the configured type; local stays the default', async () => {
    sb.config.policy.type = 'local';
    const local = await api(sb, '/file/upload', {
      method: 'PUT',
      token,
      body: { uri: 'cloudreve://my/p/l.bin', size: 1 },
    });
    expect(local.data.storage_policy.type).toBe('local');
    expect(local.data.upload_urls).toBeUndefined();
    const od = await session('onedrive', 10, ONEDRIVE_FRAGMENT_UNIT);
    expect(od.storage_policy.type).toBe('onedrive');
    expect(od.upload_urls).toEqual([expect.stringMatching(new RegExp(`^${sb.storageUrl}/onedrive/upload/`))]);
  });
});

describe('callback routes (BE middleware/auth.go uploadCallbackCheck)', () => {
  it('answer 40011 for an unknown session, 40020 for a wrong secret, 40006 for another type, all HTTP 401', async () => {
    const od = await session('onedrive', 10, ONEDRIVE_FRAGMENT_UNIT);
    const unknown = await callback('onedrive', 'nope', 'x');
    expect([unknown.status, (await unknown.json()).code]).toEqual([401, 40011]);
    const wrong = await callback('onedrive', od.session_id, 'wrong');
    expect([wrong.status, (await wrong.json()).code]).toEqual([401, 40020]);
    const other = await callback('upyun', od.session_id, od.callback_secret);
    expect([other.status, (await other.json()).code]).toEqual([401, 40006]);
    // Nothing uploaded yet: the object is missing, the callback fails with HTTP 400.
    const early = await callback('onedrive', od.session_id, od.callback_secret);
    expect(early.status).toBe(400);
  });
});

describe('OneDrive stand-in', () => {
  it('takes ordered Content-Range fragments, refuses overlaps and odd fragment sizes, reports its status', async () => {
    const size = ONEDRIVE_FRAGMENT_UNIT + 5;
    const od = await session('onedrive', size, ONEDRIVE_FRAGMENT_UNIT);
    const url = od.upload_urls[0] as string;
    const put = (start: number, length: number) =>
      fetch(url, {
        method: 'PUT',
        headers: { 'Content-Range': `bytes ${start}-${start + length - 1}/${size}` },
        body: new Uint8Array(length),
      });
    expect((await put(0, 1000)).status).toBe(400);
    const first = await put(0, ONEDRIVE_FRAGMENT_UNIT);
    expect(first.status).toBe(202);
    expect((await first.json()).nextExpectedRanges).toEqual([`${ONEDRIVE_FRAGMENT_UNIT}-${size - 1}`]);
    const overlap = await put(0, ONEDRIVE_FRAGMENT_UNIT);
    expect(overlap.status).toBe(416);
    expect((await overlap.json()).error.innererror.code).toBe('fragmentOverlap');
    expect((await (await fetch(url)).json()).nextExpectedRanges).toEqual([`${ONEDRIVE_FRAGMENT_UNIT}-${size - 1}`]);
    expect((await put(ONEDRIVE_FRAGMENT_UNIT, 5)).status).toBe(201);
    const done = await callback('onedrive', od.session_id, od.callback_secret);
    expect([done.status, (await done.json()).code]).toEqual([200, 0]);
  });

  it('cancelling the Cloudreve session ends the OneDrive upload session (driver CancelToken)', async () => {
    const od = await session('onedrive', 10, ONEDRIVE_FRAGMENT_UNIT);
    await api(sb, '/file/upload', { method: 'DELETE', token, body: { id: od.session_id, uri: od.uri } });
    expect((await fetch(od.upload_urls[0])).status).toBe(404);
  });
});

describe('Qiniu stand-in', () => {
  it('checks the upload token, part etags and minimum part size; 612 once the upload is gone', async () => {
    const size = QINIU_MIN_PART + 10;
    const qn = await session('qiniu', size, QINIU_MIN_PART);
    const url = qn.upload_urls[0] as string;
    const auth = { Authorization: `UpToken ${qn.credential}` };
    expect(
      (await fetch(`${url}/1`, { method: 'PUT', body: 'x', headers: { Authorization: 'UpToken forged' } })).status,
    ).toBe(401);
    const small = await (await fetch(`${url}/1`, { method: 'PUT', body: new Uint8Array(10), headers: auth })).json();
    const last = await (await fetch(`${url}/2`, { method: 'PUT', body: new Uint8Array(10), headers: auth })).json();
    const complete = (parts: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ parts }),
      });
    expect(
      (
        await complete([
          { etag: small.etag, partNumber: 1 },
          { etag: last.etag, partNumber: 2 },
        ])
      ).status,
    ).toBe(400);
    const big = await (
      await fetch(`${url}/1`, { method: 'PUT', body: new Uint8Array(QINIU_MIN_PART), headers: auth })
    ).json();
    expect(
      (
        await complete([
          { etag: 'wrong', partNumber: 1 },
          { etag: last.etag, partNumber: 2 },
        ])
      ).status,
    ).toBe(400);
    const ok = await complete([
      { etag: big.etag, partNumber: 1 },
      { etag: last.etag, partNumber: 2 },
    ]);
    expect(ok.status).toBe(200);
    expect((await ok.json()).code).toBe(0);
    expect((await complete([{ etag: big.etag, partNumber: 1 }])).status).toBe(612);
  });
});

describe('Upyun stand-in', () => {
  it('checks the form signature and the policy content-length, then notifies Cloudreve', async () => {
    const up = await session('upyun', 6, 1024);
    expect(up.chunk_size).toBe(0);
    const post = (authorization: string, file: string) => {
      const form = new FormData();
      form.append('policy', up.upload_policy);
      form.append('authorization', authorization);
      form.append('file', new Blob([file]), 'file');
      return fetch(up.upload_urls[0], { method: 'POST', body: form });
    };
    expect((await post('UPYUN forged:sig', 'abcdef')).status).toBe(401);
    expect((await post(up.credential, 'abc')).status).toBe(400);
    const ok = await post(up.credential, 'abcdef');
    expect([ok.status, (await ok.json()).code]).toEqual([200, 200]);
    for (let i = 0; i < 500 && sb.state.uploads.has(up.session_id); i++) await new Promise((r) => setTimeout(r, 10));
    expect(sb.state.uploads.has(up.session_id)).toBe(false);
  });
});
