import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../server';
import { startSandbox } from '../server';
import { api, listPath, login } from './helpers';

let sb: Sandbox;
let token: string;
const AWKWARD = '100% real #1 + more & co.txt';

beforeAll(async () => {
  sb = await startSandbox({
    page: 'placeholder',
    extraFiles: { 'Many/f1.txt': '1', 'Many/f2.txt': '2', 'Many/f3.txt': '3', 'Many/f4.txt': '4', 'Many/f5.txt': '5' },
  });
  token = await login(sb);
});
afterAll(() => sb.stop());

describe('GET /file', () => {
  it('lists the root with per-segment escaped URIs', async () => {
    const res = await api(sb, listPath('cloudreve://my'), { token });
    expect(res.code).toBe(0);
    const paths = res.data.files.map((f: { path: string }) => f.path);
    expect(paths).toContain('cloudreve://my/a%20b.txt');
    expect(paths).toContain('cloudreve://my/%E4%B8%AD%E6%96%87.md');
    expect(paths).toContain('cloudreve://my/100%25%20real%20%231%20%2B%20more%20%26%20co.txt');
    expect(paths).toContain('cloudreve://my/emoji%20%F0%9F%8E%89%20party.txt');
    expect(paths).toContain('cloudreve://my/Empty%20folder');
    const folder = res.data.files.find((f: { name: string }) => f.name === 'Docs');
    expect(folder.type).toBe(1);
    const empty = res.data.files.find((f: { name: string }) => f.name === 'empty.txt');
    expect(empty).toMatchObject({ type: 0, size: 0 });
    expect(res.data.parent.path).toBe('cloudreve://my');
    expect(res.data.props.max_page_size).toBe(2000);
    expect(res.data.storage_policy.type).toBe('local');
    expect(typeof res.data.context_hint).toBe('string');
  });

  it('lists nested folders with parentheses kept literal', async () => {
    const res = await api(sb, listPath('cloudreve://my/Docs/2024%20reports%20(final)'), { token });
    expect(res.data.files.map((f: { path: string }) => f.path).sort()).toEqual([
      'cloudreve://my/Docs/2024%20reports%20(final)/blank.txt',
      'cloudreve://my/Docs/2024%20reports%20(final)/q1.txt',
      'cloudreve://my/Docs/2024%20reports%20(final)/q2.txt',
    ]);
    const empty = await api(sb, listPath('cloudreve://my/Empty%20folder'), { token });
    expect(empty.data.files).toEqual([]);
  });

  it('pages with a cursor: next_page_token in, pagination.next_token out', async () => {
    const names: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const res = await api(
        sb,
        listPath('cloudreve://my/Many', `&page_size=2${next ? `&next_page_token=${encodeURIComponent(next)}` : ''}`),
        { token },
      );
      expect(res.data.pagination.is_cursor).toBe(true);
      names.push(...res.data.files.map((f: { name: string }) => f.name));
      next = res.data.pagination.next_token;
      pages += 1;
    } while (next);
    expect(pages).toBe(3);
    expect(names).toEqual(['f1.txt', 'f2.txt', 'f3.txt', 'f4.txt', 'f5.txt']);
  });

  it('answers 401 anonymously and 40016 for a missing path', async () => {
    expect((await api(sb, listPath('cloudreve://my'))).code).toBe(401);
    expect((await api(sb, listPath('cloudreve://my/nope'), { token })).code).toBe(40016);
  });
});

describe('other file routes', () => {
  it('answers file/info, file/thumb and file/view', async () => {
    const info = await api(sb, `/file/info?uri=${encodeURIComponent('cloudreve://my/pixel.png')}`, { token });
    expect(info.data).toMatchObject({ name: 'pixel.png', type: 0, path: 'cloudreve://my/pixel.png' });
    expect((await api(sb, `/file/thumb?uri=${encodeURIComponent('cloudreve://my/pixel.png')}`, { token })).code).toBe(
      404,
    );
    expect(
      await api(sb, '/file/view', { method: 'PATCH', token, body: { uri: 'cloudreve://my', view: { view: 'list' } } }),
    ).toEqual({ code: 0, msg: '' });
  });

  it('creates folders and files, 40004 on conflict, and deletes', async () => {
    const folder = await api(sb, '/file/create', {
      method: 'POST',
      token,
      body: { uri: 'cloudreve://my/New%20%26%20Co/Sub', type: 'folder' },
    });
    expect(folder.data).toMatchObject({ type: 1, name: 'Sub', path: 'cloudreve://my/New%20%26%20Co/Sub' });
    const again = await api(sb, '/file/create', {
      method: 'POST',
      token,
      body: { uri: 'cloudreve://my/New%20%26%20Co/Sub', type: 'folder', err_on_conflict: true },
    });
    expect(again.code).toBe(40004);
    const file = await api(sb, '/file/create', {
      method: 'POST',
      token,
      body: { uri: 'cloudreve://my/New%20%26%20Co/x.txt', type: 'file' },
    });
    expect(file.data).toMatchObject({ type: 0, size: 0 });
    expect(
      (await api(sb, '/file', { method: 'DELETE', token, body: { uris: ['cloudreve://my/New%20%26%20Co'] } })).code,
    ).toBe(0);
    expect((await api(sb, listPath('cloudreve://my/New%20%26%20Co'), { token })).code).toBe(40016);
    const missing = await api(sb, '/file', { method: 'DELETE', token, body: { uris: ['cloudreve://my/ghost'] } });
    expect(missing.code).toBe(40081);
  });
});

describe('POST /file/url and signed downloads', () => {
  const uri = `cloudreve://my/${encodeURIComponent(AWKWARD)}`;

  it('signs absolute content URLs that stream the file with CORS *', async () => {
    const res = await api(sb, '/file/url', { method: 'POST', token, body: { uris: [uri] } });
    expect(res.code).toBe(0);
    const url = new URL(res.data.urls[0].url);
    expect(url.origin).toBe(sb.url);
    expect(url.pathname).toMatch(
      /^\/api\/v4\/file\/content\/[^/]+\/0\/100%25%20real%20%231%20%2B%20more%20%26%20co\.txt$/,
    );
    expect(url.searchParams.get('sign')).toMatch(/:\d+$/);
    expect(Date.parse(res.data.expires)).toBeGreaterThan(Date.now());
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(download.headers.get('access-control-allow-origin')).toBe('*');
    expect(await download.text()).toBe(await readFile(sb.pathOf('admin@example.com', AWKWARD), 'utf8'));
  });

  it('serves Range requests with 206 and Content-Range, 416 when unsatisfiable', async () => {
    const res = await api(sb, '/file/url', { method: 'POST', token, body: { uris: ['cloudreve://my/pixel.png'] } });
    const whole = await readFile(sb.pathOf('admin@example.com', 'pixel.png'));
    const part = await fetch(res.data.urls[0].url, { headers: { Range: 'bytes=8-15' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 8-15/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(whole.subarray(8, 16));
    const tail = await fetch(res.data.urls[0].url, { headers: { Range: 'bytes=-4' } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(whole.subarray(whole.length - 4));
    const open = await fetch(res.data.urls[0].url, { headers: { Range: 'bytes=90-' } });
    expect(open.headers.get('content-range')).toBe(`bytes 90-${whole.length - 1}/${whole.length}`);
    expect((await fetch(res.data.urls[0].url, { headers: { Range: 'bytes=5000-' } })).status).toBe(416);
  });

  it('rejects a bad signature with 40020', async () => {
    const res = await api(sb, '/file/url', { method: 'POST', token, body: { uris: ['cloudreve://my/a%20b.txt'] } });
    const url = new URL(res.data.urls[0].url);
    url.searchParams.set('sign', `AAAA:${Math.floor(Date.now() / 1000) + 100}`);
    const bad = await fetch(url);
    expect(bad.status).toBe(200);
    expect((await bad.json()).code).toBe(40020);
  });

  it('keeps empty slots with skip_error and aggregates errors without it', async () => {
    const uris = ['cloudreve://my/a%20b.txt', 'cloudreve://my/missing.txt', 'cloudreve://my/empty.txt'];
    const skipped = await api(sb, '/file/url', { method: 'POST', token, body: { uris, skip_error: true } });
    expect(skipped.code).toBe(0);
    expect(skipped.data.urls.map((u: { url: string }) => u.url !== '')).toEqual([true, false, true]);
    const strict = await api(sb, '/file/url', { method: 'POST', token, body: { uris } });
    expect(strict.code).toBe(40081);
    expect(Object.keys(strict.aggregated_error!)).toEqual(['cloudreve://my/missing.txt']);
    expect(strict.aggregated_error!['cloudreve://my/missing.txt']!.code).toBe(40016);
    const empty = await fetch(
      (await api(sb, '/file/url', { method: 'POST', token, body: { uris: ['cloudreve://my/empty.txt'] } })).data.urls[0]
        .url,
    );
    expect(empty.status).toBe(200);
    expect((await empty.arrayBuffer()).byteLength).toBe(0);
  });

  it('gates archive: true on archive_download (40007)', async () => {
    const userToken = await login(sb, 'user@example.com', 'user123');
    const res = await api(sb, '/file/url', {
      method: 'POST',
      token: userToken,
      body: { uris: ['cloudreve://my/a%20b.txt'], archive: true },
    });
    expect(res).toMatchObject({ code: 40007, msg: '' });
  });

  it('answers 40074 above max_batched_file and 401 anonymously', async () => {
    const uris = Array.from({ length: 3001 }, (_, i) => `cloudreve://my/${i}.txt`);
    expect((await api(sb, '/file/url', { method: 'POST', token, body: { uris } })).code).toBe(40074);
    expect((await api(sb, '/file/url', { method: 'POST', body: { uris: ['cloudreve://my/a%20b.txt'] } })).code).toBe(
      401,
    );
  });
});
