import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'webdav';
import type { Sandbox } from '../server';
import { startSandbox } from '../server';
import { ADMIN_DAV, api, basic, login } from './helpers';

let sb: Sandbox;
let token: string;

beforeAll(async () => {
  sb = await startSandbox({ page: 'placeholder' });
  token = await login(sb);
});
afterAll(() => sb.stop());

const dav = (path: string, method: string, headers: Record<string, string> = {}, body?: string) =>
  fetch(`${sb.url}${path}`, { method, headers: { Authorization: ADMIN_DAV, ...headers }, body, redirect: 'manual' });

const hrefs = (xml: string) => [...xml.matchAll(/<D:href>([^<]*)<\/D:href>/g)].map((m) => m[1]!);

describe('WebDAV auth', () => {
  it('answers unauthenticated OPTIONS with the DAV headers', async () => {
    const res = await fetch(`${sb.url}/dav/`, { method: 'OPTIONS' });
    expect(res.status).toBe(200);
    expect(res.headers.get('dav')).toBe('1, 2');
  });

  it('challenges only requests without credentials', async () => {
    const none = await fetch(`${sb.url}/dav/`, { method: 'PROPFIND' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="cloudreve"');
    const wrong = await fetch(`${sb.url}/dav/`, {
      method: 'PROPFIND',
      headers: { Authorization: basic('admin@example.com', 'admin123') },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBeNull();
  });

  it('accepts the email case-insensitively and answers 403 once the group loses webdav', async () => {
    const upper = await fetch(`${sb.url}/dav/`, {
      method: 'PROPFIND',
      headers: { Depth: '0', Authorization: basic('ADMIN@example.com', 'sandboxdavpassword0123456789abcd') },
    });
    expect(upper.status).toBe(207);
    const admin = sb.config.groups.find((g) => g.name === 'Admin')!;
    const saved = [...admin.permissions];
    sb.setGroupPermissions(
      'Admin',
      saved.filter((bit) => bit !== 3),
    );
    try {
      expect((await dav('/dav/', 'PROPFIND', { Depth: '0' })).status).toBe(403);
    } finally {
      sb.setGroupPermissions('Admin', saved);
    }
  });
});

describe('PROPFIND', () => {
  it('honours Depth 0, 1 and infinity (the default) with escaped hrefs', async () => {
    const zero = await dav('/dav/', 'PROPFIND', { Depth: '0' });
    expect(hrefs(await zero.text())).toEqual(['/dav/']);
    const one = await (await dav('/dav/', 'PROPFIND', { Depth: '1' })).text();
    const oneHrefs = hrefs(one);
    expect(oneHrefs).toContain('/dav/Docs/');
    expect(oneHrefs).toContain('/dav/Empty%20folder/');
    expect(oneHrefs).toContain('/dav/a%20b.txt');
    expect(oneHrefs).toContain('/dav/%E4%B8%AD%E6%96%87.md');
    // Go url.URL EscapedPath keeps & and + literal; XML escaping turns & into &amp;.
    expect(oneHrefs).toContain('/dav/100%25%20real%20%231%20+%20more%20&amp;%20co.txt');
    expect(oneHrefs).not.toContain('/dav/Docs/readme.txt');
    const infinity = hrefs(await (await dav('/dav/', 'PROPFIND')).text());
    expect(infinity).toContain('/dav/Docs/2024%20reports%20%28final%29/q1.txt');
    expect(infinity).toContain('/dav/Photos/sunset%20%F0%9F%8C%85.png');
    expect(infinity).toContain('/dav/Docs/Empty%20%28nested%29/');
  });

  it('reports the live props of files and folders', async () => {
    const xml = await (await dav('/dav/Docs/2024%20reports%20(final)/q1.txt', 'PROPFIND', { Depth: '0' })).text();
    expect(xml).toContain('<D:resourcetype></D:resourcetype>');
    expect(xml).toContain('<D:displayname>q1.txt</D:displayname>');
    expect(xml).toContain('<D:getcontentlength>16</D:getcontentlength>');
    expect(xml).toContain('<D:getlastmodified>Wed, 01 May 2024 12:00:00 GMT</D:getlastmodified>');
    expect(xml).toMatch(/<D:getetag>"[^"]+"<\/D:getetag>/);
    expect(xml).toContain('<D:getcontenttype>text/plain; charset=utf-8</D:getcontenttype>');
    const folder = await (await dav('/dav/Docs', 'PROPFIND', { Depth: '0' })).text();
    expect(folder).toContain('<D:collection/>');
    expect((await dav('/dav/missing', 'PROPFIND', { Depth: '0' })).status).toBe(404);
  });
});

describe('GET, PUT and friends', () => {
  it('redirects GET and HEAD to the signed content URL and refuses folders', async () => {
    const res = await dav('/dav/%E4%B8%AD%E6%96%87.md', 'GET');
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${sb.url}/api/v4/file/content/`));
    expect(await (await fetch(location)).text()).toBe(
      await readFile(sb.pathOf('admin@example.com', '中文.md'), 'utf8'),
    );
    expect((await dav('/dav/a%20b.txt', 'HEAD')).status).toBe(302);
    expect((await dav('/dav/Docs/', 'GET')).status).toBe(405);
  });

  it('PUT always overwrites, ignores If-None-Match, and creates with 201', async () => {
    const first = await dav('/dav/uploads/new%20%26%20%23.txt', 'PUT', { 'If-None-Match': '*' }, 'one');
    expect(first.status).toBe(201);
    expect(first.headers.get('etag')).toMatch(/^".+"$/);
    const second = await dav('/dav/uploads/new%20%26%20%23.txt', 'PUT', { 'If-None-Match': '*' }, 'two!');
    expect(second.status).toBe(201);
    expect(await readFile(sb.pathOf('admin@example.com', 'uploads/new & #.txt'), 'utf8')).toBe('two!');
  });

  it('MKCOL: 201, 405 when it exists, 409 without parent', async () => {
    expect((await dav('/dav/made', 'MKCOL')).status).toBe(201);
    expect((await dav('/dav/made', 'MKCOL')).status).toBe(405);
    expect((await dav('/dav/no/parent', 'MKCOL')).status).toBe(409);
  });

  it('COPY and MOVE honour Overwrite: F with 412', async () => {
    await dav('/dav/made/src.txt', 'PUT', {}, 'source');
    await dav('/dav/made/taken.txt', 'PUT', {}, 'taken');
    const destination = (name: string) => `${sb.url}/dav/made/${name}`;
    expect(
      (await dav('/dav/made/src.txt', 'COPY', { Destination: destination('taken.txt'), Overwrite: 'F' })).status,
    ).toBe(412);
    expect((await dav('/dav/made/src.txt', 'COPY', { Destination: destination('copy%20%E4%B8%AD.txt') })).status).toBe(
      201,
    );
    expect(await readFile(sb.pathOf('admin@example.com', 'made/copy 中.txt'), 'utf8')).toBe('source');
    expect(
      (await dav('/dav/made/src.txt', 'MOVE', { Destination: destination('taken.txt'), Overwrite: 'F' })).status,
    ).toBe(412);
    expect((await dav('/dav/made/src.txt', 'MOVE', { Destination: destination('taken.txt') })).status).toBe(204);
    expect(await readFile(sb.pathOf('admin@example.com', 'made/taken.txt'), 'utf8')).toBe('source');
    expect((await dav('/dav/made/src.txt', 'PROPFIND', { Depth: '0' })).status).toBe(404);
    expect((await dav('/dav/made/ghost.txt', 'MOVE', { Destination: destination('x.txt') })).status).toBe(404);
  });

  it('DELETE: 204, then 404', async () => {
    expect((await dav('/dav/made', 'DELETE')).status).toBe(204);
    expect((await dav('/dav/made', 'DELETE')).status).toBe(404);
  });
});

describe('WebDAV accounts', () => {
  it('lists, creates, updates and deletes accounts; read-only accounts get 403 on writes', async () => {
    const list = await api(sb, '/devices/dav?page_size=10', { token });
    expect(list.data.accounts[0]).toMatchObject({
      uri: 'cloudreve://my',
      password: 'sandboxdavpassword0123456789abcd',
    });
    const created = await api(sb, '/devices/dav', {
      method: 'PUT',
      token,
      body: { uri: 'cloudreve://my/Docs', name: 'docs', readonly: true },
    });
    expect(created.data.password).toMatch(/^[0-9a-z]{32}$/);
    expect(created.data.options).toBe(Buffer.from([1]).toString('base64'));
    const auth = basic('admin@example.com', created.data.password);
    const scoped = await fetch(`${sb.url}/dav/`, { method: 'PROPFIND', headers: { Authorization: auth, Depth: '1' } });
    expect(hrefs(await scoped.text())).toContain('/dav/readme.txt');
    expect(
      (await fetch(`${sb.url}/dav/x.txt`, { method: 'PUT', headers: { Authorization: auth }, body: 'x' })).status,
    ).toBe(403);
    const patched = await api(sb, `/devices/dav/${created.data.id}`, {
      method: 'PATCH',
      token,
      body: { uri: 'cloudreve://my/Docs', name: 'docs rw', readonly: false },
    });
    expect(patched.data.name).toBe('docs rw');
    expect(
      (await fetch(`${sb.url}/dav/x.txt`, { method: 'PUT', headers: { Authorization: auth }, body: 'x' })).status,
    ).toBe(201);
    expect(await readFile(sb.pathOf('admin@example.com', 'Docs/x.txt'), 'utf8')).toBe('x');
    expect((await api(sb, `/devices/dav/${created.data.id}`, { method: 'DELETE', token })).code).toBe(0);
    expect((await fetch(`${sb.url}/dav/`, { method: 'PROPFIND', headers: { Authorization: auth } })).status).toBe(401);
    expect(
      (await api(sb, '/devices/dav', { method: 'PUT', token, body: { uri: 'https://x', name: 'bad' } })).code,
    ).toBe(40001);
  });

  it('answers 40007 for groups without webdav', async () => {
    const userToken = await login(sb, 'user@example.com', 'user123');
    const res = await api(sb, '/devices/dav?page_size=10', { token: userToken });
    expect(res.code).toBe(40007);
    expect(res.msg).toBe('WebDAV is not enabled for this user group');
  });
});

describe('interoperability', () => {
  it('is readable by the npm webdav client, awkward names included', async () => {
    const client = createClient(`${sb.url}/dav`, {
      username: 'admin@example.com',
      password: 'sandboxdavpassword0123456789abcd',
    });
    const root = (await client.getDirectoryContents('/')) as { basename: string; type: string; size: number }[];
    const names = root.map((item) => item.basename);
    expect(names).toEqual(
      expect.arrayContaining(['100% real #1 + more & co.txt', '中文.md', 'emoji 🎉 party.txt', 'Empty folder']),
    );
    const nested = (await client.getDirectoryContents('/Docs/2024 reports (final)')) as { basename: string }[];
    expect(nested.map((item) => item.basename).sort()).toEqual(['blank.txt', 'q1.txt', 'q2.txt']);
    const text = await client.getFileContents('/100% real #1 + more & co.txt', { format: 'text' });
    expect(text).toBe(await readFile(sb.pathOf('admin@example.com', '100% real #1 + more & co.txt'), 'utf8'));
  });

  // Async: the sandbox runs in this process, so a blocking exec would starve it.
  const run = async (args: string[]) => (await promisify(execFile)('rclone', args)).stdout;

  it('is walkable and readable by rclone (follows the 302 to the signed URL)', async () => {
    const obscured = (await run(['obscure', 'sandboxdavpassword0123456789abcd'])).trim();
    const flags = [
      '--webdav-url',
      `${sb.url}/dav`,
      '--webdav-user',
      'admin@example.com',
      '--webdav-pass',
      obscured,
      '--config',
      '/dev/null',
    ];
    const listing = (await run(['lsf', '-R', ...flags, ':webdav:Docs'])).split('\n').filter(Boolean);
    expect(listing).toEqual(
      expect.arrayContaining(['2024 reports (final)/', '2024 reports (final)/q1.txt', 'readme.txt', 'Empty (nested)/']),
    );
    const text = await run(['cat', ...flags, ':webdav:emoji 🎉 party.txt']);
    expect(text).toBe('party time 🎉\n');
  });
});
