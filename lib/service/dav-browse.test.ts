import { describe, expect, it } from 'vitest';
import type { ServerRecord } from '../servers/types';
import { createDavClient } from '../webdav/client';
import { createDavBrowse, normalizeDavPath } from './dav-browse';

const BASE = 'https://dav.example/remote/';

function multistatus(items: [href: string, collection: boolean, size?: number][]): string {
  const responses = items.map(
    ([href, collection, size]) =>
      `<d:response><d:href>${href}</d:href><d:propstat><d:prop>` +
      `<d:resourcetype>${collection ? '<d:collection/>' : ''}</d:resourcetype>` +
      (size !== undefined ? `<d:getcontentlength>${size}</d:getcontentlength>` : '') +
      '<d:getlastmodified>Wed, 01 May 2024 12:00:00 GMT</d:getlastmodified>' +
      '</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>',
  );
  return `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">${responses.join('')}</d:multistatus>`;
}

function browseWith(answer: (url: string) => Response | Promise<Response>, record: Partial<ServerRecord> = {}) {
  const requested: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    requested.push(String(input));
    return answer(String(input));
  }) as typeof globalThis.fetch;
  const server: ServerRecord = {
    id: 's1',
    origin: 'https://dav.example',
    kind: 'webdav',
    label: 'dav',
    addedAt: 0,
    ...record,
  };
  const browse = createDavBrowse({
    registry: { get: async () => server },
    connections: { dav: async () => createDavClient({ url: BASE, username: 'u', password: 'p', fetch }) },
  });
  return { browse, requested };
}

describe('normalizeDavPath', () => {
  it.each([
    ['', ''],
    ['/', ''],
    ['/a//b c/', 'a/b c'],
    ['./x', 'x'],
  ])('%j → %j', (input, expected) => expect(normalizeDavPath(input)).toBe(expected));

  it('refuses ..', () => expect(() => normalizeDavPath('a/../../etc')).toThrow(/not a folder path/));
});

describe('createDavBrowse.list', () => {
  it('answers decoded names, folders first, without the folder itself', async () => {
    const body = multistatus([
      ['/remote/Docs/', true],
      ['/remote/Docs/z.txt', false, 3],
      ['/remote/Docs/100%25%20%23%26.txt', false, 7],
      ['/remote/Docs/%E4%B8%AD%E6%96%87/', true],
      ['/remote/Docs/A%20folder/', true],
    ]);
    const { browse, requested } = browseWith(() => new Response(body, { status: 207 }));
    const listing = await browse.list('s1', '/Docs/');
    expect(requested).toEqual([`${BASE}Docs/`]);
    expect(listing.path).toBe('Docs');
    expect(listing.entries.map((e) => [e.name, e.path, e.isCollection, e.size])).toEqual([
      ['A folder', 'Docs/A folder', true, 0],
      ['中文', 'Docs/中文', true, 0],
      ['100% #&.txt', 'Docs/100% #&.txt', false, 7],
      ['z.txt', 'Docs/z.txt', false, 3],
    ]);
    expect(listing.entries[0]!.modified).toBe(Date.UTC(2024, 4, 1, 12));
    expect(Object.keys(listing.entries[0]!).sort()).toEqual(['isCollection', 'modified', 'name', 'path', 'size']);
  });

  it.each([
    ['a wrong password', () => new Response('', { status: 401 }), 'wrong-credentials'],
    ['a missing folder', () => new Response('', { status: 404 }), 'not-found'],
    [
      'a server that is down',
      () => {
        throw new TypeError('fetch failed');
      },
      'network',
    ],
  ])('maps %s to a code', async (_, answer, code) => {
    const { browse } = browseWith(answer);
    await expect(browse.list('s1', 'Docs')).rejects.toMatchObject({ code });
  });
});

describe('createDavBrowse.assertWritable', () => {
  const dav = { url: BASE, username: 'u', password: 'p' };

  it('refuses a WebDAV destination through a read-only account', async () => {
    const { browse } = browseWith(() => new Response(''), { dav: { ...dav, readOnly: true } });
    await expect(browse.assertWritable('s1', { kind: 'webdav', folder: '' })).rejects.toMatchObject({
      code: 'read-only',
    });
    await expect(browse.assertWritable('s1', { kind: 'download' })).resolves.toBeUndefined();
  });

  it('lets writable and unknown accounts through', async () => {
    for (const readOnly of [false, undefined]) {
      const { browse } = browseWith(() => new Response(''), { dav: { ...dav, readOnly } });
      await expect(browse.assertWritable('s1', { kind: 'webdav', folder: 'x' })).resolves.toBeUndefined();
    }
  });
});
