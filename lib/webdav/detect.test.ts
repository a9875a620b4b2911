import { describe, expect, it } from 'vitest';
import { detectDav } from './detect';

const CREDS = { username: 'u', password: 'p' };

function multistatus(href: string, permissions?: string): string {
  const oc = permissions ? `<oc:permissions>${permissions}</oc:permissions>` : '';
  return `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:response><d:href>${href}</d:href>
    <d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype>${oc}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`;
}

interface Server {
  realm?: string;
  /** Status for an authenticated PROPFIND when not 207. */
  status?: number;
  body?: string;
  dav?: boolean;
  json?: Record<string, unknown>;
}

/** A fake fetch playing one server: anonymous requests get 401 with the realm, JSON paths answer `json`. */
function serverFetch(server: Server) {
  const seen: string[] = [];
  const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const authorized = new Headers(init.headers).has('Authorization');
    seen.push(`${method} ${url.pathname} ${authorized ? 'auth' : 'anon'}`);
    if (method === 'GET') {
      const value = server.json?.[url.pathname];
      return value ? Response.json(value) : new Response('not found', { status: 404 });
    }
    if (!authorized && server.realm !== undefined) {
      return new Response(null, { status: 401, headers: { 'WWW-Authenticate': `Basic realm="${server.realm}"` } });
    }
    if (method === 'OPTIONS') return new Response(null, { status: 200, headers: server.dav ? { DAV: '1, 2' } : {} });
    if (server.status) return new Response(server.body ?? '', { status: server.status });
    return new Response(server.body ?? multistatus(url.pathname), { status: 207 });
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

describe('detectDav', () => {
  it('recognises Cloudreve by its realm', async () => {
    const { fetch } = serverFetch({ realm: 'cloudreve' });
    expect(await detectDav('https://cr.test/dav', CREDS, fetch)).toEqual({ kind: 'webdav', flavor: 'cloudreve' });
  });

  it('recognises Cloudreve under /dav by /api/v4/site/ping when no realm is shown', async () => {
    const { fetch, seen } = serverFetch({ json: { '/api/v4/site/ping': { code: 0, data: '4.18.0', msg: '' } } });
    expect(await detectDav('https://cr.test/dav/', CREDS, fetch)).toEqual({ kind: 'webdav', flavor: 'cloudreve' });
    expect(seen).toEqual(['PROPFIND /dav/ anon', 'PROPFIND /dav/ auth', 'GET /api/v4/site/ping anon']);
    const v3 = serverFetch({ json: { '/api/v4/site/ping': { code: 0, data: '3.8.3' } } });
    expect(await detectDav('https://cr.test/dav/', CREDS, v3.fetch)).toEqual({ kind: 'webdav', flavor: 'generic' });
  });

  it('recognises Nextcloud and a writable folder', async () => {
    const url = 'https://nc.test/cloud/remote.php/dav/files/alice/';
    const { fetch } = serverFetch({
      realm: 'Nextcloud',
      body: multistatus('/cloud/remote.php/dav/files/alice/', 'RGDNVCK'),
      json: { '/cloud/status.php': { installed: true, productname: 'Nextcloud', version: '31.0.0' } },
    });
    expect(await detectDav(url, CREDS, fetch)).toEqual({ kind: 'webdav', flavor: 'nextcloud', readOnly: false });
  });

  it('recognises ownCloud and a read-only folder', async () => {
    const { fetch } = serverFetch({
      realm: 'ownCloud',
      body: multistatus('/remote.php/webdav/', 'RGDNV'),
      json: { '/status.php': { installed: 'true', productname: 'ownCloud' } },
    });
    expect(await detectDav('https://oc.test/remote.php/webdav', CREDS, fetch)).toEqual({
      kind: 'webdav',
      flavor: 'owncloud',
      readOnly: true,
    });
  });

  it('calls anything else generic', async () => {
    const { fetch } = serverFetch({ realm: 'dav' });
    expect(await detectDav('http://127.0.0.1:8081/', CREDS, fetch)).toEqual({ kind: 'webdav', flavor: 'generic' });
  });

  it('reports a wrong password, a non-WebDAV page and an unreachable server', async () => {
    await expect(
      detectDav('https://x.test/', CREDS, serverFetch({ realm: 'dav', status: 401 }).fetch),
    ).rejects.toMatchObject({
      code: 'wrong-credentials',
    });
    const html = serverFetch({ status: 200, body: '<html>Welcome</html>' });
    await expect(detectDav('https://x.test/', CREDS, html.fetch)).rejects.toMatchObject({
      code: 'webdav',
      message: /not a WebDAV server/,
    });
    const davButBroken = serverFetch({ status: 500, dav: true });
    await expect(detectDav('https://x.test/', CREDS, davButBroken.fetch)).rejects.toMatchObject({
      code: 'webdav',
      status: 500,
    });
    const notXml = serverFetch({ body: 'oops' });
    await expect(detectDav('https://x.test/', CREDS, notXml.fetch)).rejects.toMatchObject({
      code: 'webdav',
      status: 207,
    });
    const refused = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    await expect(detectDav('https://x.test/', CREDS, refused)).rejects.toMatchObject({ code: 'network' });
  });
});
