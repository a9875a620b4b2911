import { describe, expect, it } from 'vitest';
import { AppError, WebDavError } from '../errors';
import { basicAuth, createDavClient } from './client';
import { davStatusError, toNetworkError } from './errors';

interface Seen {
  url: string;
  method: string;
  redirect: RequestRedirect | undefined;
  authorization: string | null;
  headers: Headers;
}

/** A fetch fake answering from a function, recording what was sent. */
function fakeFetch(answer: (url: string, init: RequestInit) => Response) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const url = String(input);
    seen.push({
      url,
      method: init.method ?? 'GET',
      redirect: init.redirect,
      authorization: headers.get('Authorization'),
      headers,
    });
    return answer(url, init);
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

const AUTH = basicAuth('u', 'p');

describe('basicAuth', () => {
  it('encodes UTF-8 credentials (RFC 7617)', () => {
    expect(basicAuth('u', 'p')).toBe('Basic dTpw');
    expect(atob(basicAuth('ü@x', 'pä').slice(6))).toBe('\xc3\xbc@x:p\xc3\xa4');
  });
});

describe('redirects', () => {
  it('keeps Authorization on the configured origin and drops it on another one', async () => {
    const { fetch, seen } = fakeFetch((url) => {
      if (url === 'https://dav.test/dav/a.bin')
        return new Response(null, { status: 301, headers: { Location: '/dav/moved/a.bin' } });
      if (url === 'https://dav.test/dav/moved/a.bin') {
        return new Response(null, { status: 302, headers: { Location: 'https://bucket.test/obj?sig=1' } });
      }
      return new Response('bytes', { status: 200 });
    });
    const client = createDavClient({ url: 'https://dav.test/dav', username: 'u', password: 'p', fetch });
    const response = await client.get('a.bin', { offset: 2 });
    expect(await response?.text()).toBe('bytes');
    expect(seen.map((s) => [s.url, s.authorization, s.headers.get('Range'), s.redirect])).toEqual([
      ['https://dav.test/dav/a.bin', AUTH, 'bytes=2-', 'manual'],
      ['https://dav.test/dav/moved/a.bin', AUTH, 'bytes=2-', 'manual'],
      ['https://bucket.test/obj?sig=1', null, 'bytes=2-', 'manual'],
    ]);
  });

  it('lets a browser follow after an opaque redirect, and keeps following from then on', async () => {
    const { fetch, seen } = fakeFetch((_url, init) => {
      if (init.redirect === 'manual') {
        // What browsers return for redirect: 'manual': no status, no Location (Fetch spec "opaque-redirect filtered response").
        return Object.defineProperties(new Response(null), { type: { value: 'opaqueredirect' }, status: { value: 0 } });
      }
      return new Response('followed', { status: 200 });
    });
    const client = createDavClient({ url: 'https://dav.test/', username: 'u', password: 'p', fetch });
    expect(await (await client.get('x'))?.text()).toBe('followed');
    expect(await (await client.get('y'))?.text()).toBe('followed');
    expect(seen.map((s) => [s.url, s.redirect, s.authorization])).toEqual([
      ['https://dav.test/x', 'manual', AUTH],
      ['https://dav.test/x', 'follow', AUTH],
      ['https://dav.test/y', 'follow', AUTH],
    ]);
  });

  it('gives up after too many hops', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 302, headers: { Location: '/loop' } }));
    const client = createDavClient({ url: 'https://dav.test/', username: 'u', password: 'p', fetch });
    await expect(client.get('loop')).rejects.toMatchObject({ code: 'webdav', status: 302 });
  });
});

describe('operations', () => {
  it('MOVE sends an absolute Destination and Overwrite: F, and reports 412 as false', async () => {
    const { fetch, seen } = fakeFetch((_url, init) => {
      const destination = new Headers(init.headers).get('Destination') ?? '';
      return new Response(null, { status: destination.endsWith('taken.zip') ? 412 : 201 });
    });
    const client = createDavClient({ url: 'https://dav.test/base/', username: 'u', password: 'p', fetch });
    expect(await client.move('Out/.a b.zip.part-1', 'Out/a b.zip')).toBe(true);
    expect(seen[0]?.headers.get('Destination')).toBe('https://dav.test/base/Out/a%20b.zip');
    expect(seen[0]?.headers.get('Overwrite')).toBe('F');
    expect(await client.move('Out/.x.part-2', 'Out/taken.zip')).toBe(false);
  });

  it('maps PUT failures and treats DELETE 404 as done', async () => {
    const statuses = [401, 403, 507, 409];
    const { fetch } = fakeFetch(
      (_url, init) => new Response(null, { status: init.method === 'DELETE' ? 404 : statuses.shift() }),
    );
    const client = createDavClient({ url: 'https://dav.test/', username: 'u', password: 'p', fetch });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(await client.put('f', new Blob(['x'])).catch((e: AppError) => e.code));
    expect(codes).toEqual(['wrong-credentials', 'read-only', 'insufficient-storage', 'webdav']);
    await expect(client.remove('f')).resolves.toBeUndefined();
  });

  it('turns a refused connection into a network error', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    }) as typeof globalThis.fetch;
    const client = createDavClient({ url: 'http://127.0.0.1:9/', username: 'u', password: 'p', fetch });
    await expect(client.stat('x')).rejects.toMatchObject({ code: 'network' });
  });

  it('lists members without the folder itself, matching it despite different escaping', async () => {
    const body = `<d:multistatus xmlns:d="DAV:">
      <d:response><d:href>/base/a%20%c3%a9/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
      <d:response><d:href>/base/a%20%C3%A9/f%2Bg.txt</d:href><d:propstat><d:prop><d:resourcetype/><d:getcontentlength>4</d:getcontentlength></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
    </d:multistatus>`;
    const { fetch, seen } = fakeFetch(() => new Response(body, { status: 207 }));
    const client = createDavClient({ url: 'https://dav.test/base/', username: 'u', password: 'p', fetch });
    expect(await client.list('a é')).toEqual([
      { path: 'a é/f+g.txt', name: 'f+g.txt', isCollection: false, size: 4, modified: 0 },
    ]);
    expect(seen[0]).toMatchObject({ url: 'https://dav.test/base/a%20%C3%A9/', method: 'PROPFIND' });
    expect(seen[0]?.headers.get('Depth')).toBe('1');
  });
});

describe('error mapping', () => {
  it.each([
    [401, 'GET', 'wrong-credentials'],
    [401, 'PUT', 'wrong-credentials'],
    [403, 'PUT', 'read-only'],
    [403, 'MOVE', 'read-only'],
    [403, 'PROPFIND', 'webdav'],
    [403, 'GET', 'webdav'],
    [507, 'PUT', 'insufficient-storage'],
    [500, 'GET', 'webdav'],
    [409, 'PUT', 'webdav'],
  ])('%i on %s → %s', (status, method, code) => {
    const error = davStatusError(status, method, 'https://dav.test/x');
    expect(error).toBeInstanceOf(WebDavError);
    expect(error).toMatchObject({ code, status, details: { method, status } });
  });

  it('keeps aborts and app errors, maps fetch TypeErrors to network', () => {
    const abort = new DOMException('aborted', 'AbortError');
    expect(toNetworkError(abort, 'u')).toBe(abort);
    const app = new AppError('cancelled', 'x');
    expect(toNetworkError(app, 'u')).toBe(app);
    expect(toNetworkError(new TypeError('Failed to fetch'), 'u')).toMatchObject({ code: 'network' });
    const other = new RangeError('x');
    expect(toNetworkError(other, 'u')).toBe(other);
  });
});

describe('a hostile listing', () => {
  const multistatus = (hrefs: string[]) =>
    `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">${hrefs
      .map(
        (href) =>
          `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:resourcetype>${
            href.endsWith('/') ? '<d:collection/>' : ''
          }</d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
      )
      .join('')}</d:multistatus>`;

  it('keeps only plain direct children of the folder listed, and tells about the others', async () => {
    const { fetch } = fakeFetch(
      () =>
        new Response(
          multistatus([
            '/dav/Docs/',
            '/dav/Docs/ok.txt',
            '/dav/Docs/%2E%2E/',
            '/dav/Docs/../',
            '/dav/Docs/./',
            '/dav/Docs/..%2F..%2Fadmin%2F',
            '/dav/Docs/a%5Cb.txt',
            '/dav/Docs/nul%00.txt',
            '/dav/admin/',
            '/dav/Docs/sub/deeper.txt',
            'https://dav.test/dav/Docs/Sub%20folder/',
          ]),
          { status: 207 },
        ),
    );
    const refused: string[] = [];
    const client = createDavClient({
      url: 'https://dav.test/dav',
      username: 'u',
      password: 'p',
      fetch,
      onRefused: (href, folder) => refused.push(`${folder}: ${href}`),
    });
    expect((await client.list('Docs'))!.map((member) => member.path)).toEqual(['Docs/ok.txt', 'Docs/Sub folder']);
    expect(refused).toEqual([
      'Docs: /dav/Docs/%2E%2E/',
      'Docs: /dav/Docs/../',
      'Docs: /dav/Docs/./',
      'Docs: /dav/Docs/..%2F..%2Fadmin%2F',
      'Docs: /dav/Docs/a%5Cb.txt',
      'Docs: /dav/Docs/nul%00.txt',
      'Docs: /dav/admin/',
      'Docs: /dav/Docs/sub/deeper.txt',
    ]);
  });
});
