import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../server';
import { startSandbox } from '../server';
import { api, login } from './helpers';

let sb: Sandbox;
let token: string;

beforeAll(async () => {
  sb = await startSandbox({ page: 'placeholder', config: { policy: { chunkSize: 4 } } });
  token = await login(sb);
});
afterAll(() => sb.stop());

async function createSession(uri: string, size: number, extra: Record<string, unknown> = {}) {
  return api(sb, '/file/upload', { method: 'PUT', token, body: { uri, size, ...extra } });
}

const chunk = (id: string, index: number | string, body: Uint8Array, headers: Record<string, string> = {}) =>
  api(sb, `/file/upload/${id}/${index}`, {
    method: 'POST',
    token,
    body,
    headers: { 'Content-Type': 'application/octet-stream', ...headers },
  });

describe('chunked upload', () => {
  it('creates missing parents, accepts chunks in any order and completes automatically', async () => {
    const content = Buffer.from('0123456789');
    const session = await createSession('cloudreve://my/up/new%20dir/%E4%B8%AD%20%2B%23.bin', content.length);
    expect(session.code).toBe(0);
    expect(session.data).toMatchObject({ chunk_size: 4, storage_policy: { type: 'local' } });
    expect(session.data.expires).toBeGreaterThan(Date.now() / 1000);
    const id = session.data.session_id;
    expect((await chunk(id, 2, content.subarray(8))).code).toBe(0);
    expect((await chunk(id, 0, content.subarray(0, 4))).code).toBe(0);
    const dest = sb.pathOf('admin@example.com', 'up/new dir/中 +#.bin');
    // Until complete, the path holds an empty placeholder (BE dbfs/upload.go PrepareUpload).
    expect((await readFile(dest)).length).toBe(0);
    expect(await chunk(id, 1, content.subarray(4, 8))).toEqual({ code: 0, msg: '' });
    expect(await readFile(dest)).toEqual(content);
    // The session is gone once complete.
    expect((await chunk(id, 1, content.subarray(4, 8))).code).toBe(40011);
  });

  it('checks Content-Length (40013) and chunk index (40012)', async () => {
    const session = await createSession('cloudreve://my/up/len.bin', 6);
    const id = session.data.session_id;
    expect((await chunk(id, 0, Buffer.from('abc'))).code).toBe(40013);
    expect((await chunk(id, 1, Buffer.from('abcd'))).code).toBe(40013);
    expect((await chunk(id, 2, Buffer.from('ab'))).code).toBe(40012);
    expect((await chunk(id, 'x', Buffer.from('ab'))).code).toBe(40012);
    expect((await chunk(id, 1, Buffer.from('ef'))).code).toBe(0);
    expect((await chunk(id, 0, Buffer.from('abcd'))).code).toBe(0);
    expect(await readFile(sb.pathOf('admin@example.com', 'up/len.bin'), 'utf8')).toBe('abcdef');
  });

  it('answers 40011 for unknown and expired sessions', async () => {
    expect((await chunk('no-such-session', 0, Buffer.from('a'))).code).toBe(40011);
    sb.config.uploadSessionTtl = 0;
    try {
      const session = await createSession('cloudreve://my/up/expired.bin', 1);
      expect((await chunk(session.data.session_id, 0, Buffer.from('a'))).code).toBe(40011);
    } finally {
      sb.config.uploadSessionTtl = 86400;
    }
  });

  it('answers 40004 for an existing path unless entity_type is "version"', async () => {
    expect((await createSession('cloudreve://my/a%20b.txt', 3)).code).toBe(40004);
    const version = await createSession('cloudreve://my/a%20b.txt', 3, { entity_type: 'version' });
    expect(version.code).toBe(0);
    await chunk(version.data.session_id, 0, Buffer.from('new'));
    expect(await readFile(sb.pathOf('admin@example.com', 'a b.txt'), 'utf8')).toBe('new');
  });

  it('uploads a 0-byte file with one empty chunk', async () => {
    const session = await createSession('cloudreve://my/up/zero.bin', 0);
    expect((await chunk(session.data.session_id, 0, new Uint8Array(0))).code).toBe(0);
    expect((await readFile(sb.pathOf('admin@example.com', 'up/zero.bin'))).length).toBe(0);
  });

  it('cancels a session with DELETE /file/upload', async () => {
    const session = await createSession('cloudreve://my/up/cancel.bin', 4);
    const body = { id: session.data.session_id, uri: 'cloudreve://my/up/cancel.bin' };
    expect((await api(sb, '/file/upload', { method: 'DELETE', token, body })).code).toBe(0);
    expect((await chunk(session.data.session_id, 0, Buffer.from('abcd'))).code).toBe(40011);
  });

  it('lists the placeholder of an open session with size 0 and its session id, until complete', async () => {
    const uri = 'cloudreve://my/up/placeholder.bin';
    const session = await createSession(uri, 8);
    const id = session.data.session_id;
    const info = async () => (await api(sb, `/file/info?uri=${encodeURIComponent(uri)}`, { token })).data;
    expect(await info()).toMatchObject({ size: 0, metadata: { 'sys:upload_session_id': id } });
    expect((await chunk(id, 0, Buffer.from('abcd'))).code).toBe(0);
    // A chunk sent again is written again, harmlessly.
    expect((await chunk(id, 0, Buffer.from('abcd'))).code).toBe(0);
    expect((await chunk(id, 1, Buffer.from('efgh'))).code).toBe(0);
    expect(await info()).toMatchObject({ size: 8, metadata: null });
  });

  it('keeps an expired session placeholder until the session is cancelled, which removes only its own', async () => {
    const uri = 'cloudreve://my/up/stale.bin';
    const session = await createSession(uri, 4);
    const id = session.data.session_id;
    sb.state.uploads.get(id)!.expiresAt = Date.now() - 1;
    expect((await chunk(id, 0, Buffer.from('abcd'))).code).toBe(40011);
    // The placeholder still holds the name.
    expect((await createSession(uri, 4)).code).toBe(40004);
    const cancel = (body: unknown) => api(sb, '/file/upload', { method: 'DELETE', token, body });
    expect((await cancel({ id: 'someone-else', uri })).code).toBe(0);
    expect((await readFile(sb.pathOf('admin@example.com', 'up/stale.bin'))).length).toBe(0);
    expect((await cancel({ id, uri })).code).toBe(0);
    await expect(readFile(sb.pathOf('admin@example.com', 'up/stale.bin'))).rejects.toThrow();
    expect((await createSession(uri, 4)).code).toBe(0);
  });

  it('answers 40004 (placeholder) or 40073 (version, path lock) for a second session and 40049 above max_size', async () => {
    const first = await createSession('cloudreve://my/up/locked.bin', 2);
    expect(first.code).toBe(0);
    expect((await createSession('cloudreve://my/up/locked.bin', 2)).code).toBe(40004);
    expect((await createSession('cloudreve://my/up/locked.bin', 2, { entity_type: 'version' })).code).toBe(40073);
    sb.config.policy.maxSize = 10;
    try {
      expect((await createSession('cloudreve://my/up/huge.bin', 11)).code).toBe(40049);
    } finally {
      sb.config.policy.maxSize = 0;
    }
  });

  it('needs a signed-in user', async () => {
    expect((await api(sb, '/file/upload', { method: 'PUT', body: { uri: 'cloudreve://my/x', size: 1 } })).code).toBe(
      401,
    );
  });
});

describe('PUT /file/content', () => {
  it('creates or replaces a file and answers a FileResponse', async () => {
    const put = (uri: string, body: string) =>
      api(sb, `/file/content?uri=${encodeURIComponent(uri)}`, { method: 'PUT', token, body });
    const created = await put('cloudreve://my/small/%E4%B8%AD%E6%96%87%20note.txt', 'hello');
    expect(created.data).toMatchObject({
      name: '中文 note.txt',
      size: 5,
      path: 'cloudreve://my/small/%E4%B8%AD%E6%96%87%20note.txt',
    });
    expect((await put('cloudreve://my/small/%E4%B8%AD%E6%96%87%20note.txt', 'hello again')).data.size).toBe(11);
  });

  it('answers 40049 above maxEditSize', async () => {
    sb.config.policy.maxEditSize = 8;
    try {
      const res = await api(sb, `/file/content?uri=${encodeURIComponent('cloudreve://my/big.txt')}`, {
        method: 'PUT',
        token,
        body: '0123456789',
      });
      expect(res.code).toBe(40049);
    } finally {
      sb.config.policy.maxEditSize = 50 * 1024 * 1024;
    }
  });
});
