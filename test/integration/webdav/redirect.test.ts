/**
 * Redirects with Node's real fetch: a WebDAV GET answered by 302 to another origin
 * (Cloudreve /dav → storage, docs/cloudreve-api.md#webdav-endpoint) must not carry the password there;
 * a same-origin redirect keeps it. Two loopback ports are two origins.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { basicAuth, createDavClient } from '@/lib/webdav/client';
import { createDavSource } from '@/lib/webdav/source';

const seen: { server: string; url: string; authorization?: string; range?: string }[] = [];
let dav: Server;
let storage: Server;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

function record(server: string, req: IncomingMessage): void {
  seen.push({ server, url: req.url ?? '', authorization: req.headers.authorization, range: req.headers.range });
}

let davUrl: string;
beforeAll(async () => {
  storage = createServer((req, res) => {
    record('storage', req);
    const start = Number(/bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
    res.writeHead(start ? 206 : 200).end('0123456789'.slice(start));
  });
  const storageUrl = await listen(storage);
  dav = createServer((req, res) => {
    record('dav', req);
    if (req.url === '/dav/old.txt') res.writeHead(301, { Location: '/dav/file.txt' }).end();
    else res.writeHead(302, { Location: `${storageUrl}/signed?sig=abc` }).end();
  });
  davUrl = `${await listen(dav)}/dav/`;
});
afterAll(async () => {
  await new Promise((r) => dav.close(r));
  await new Promise((r) => storage.close(r));
});

it('follows a cross-origin redirect without Authorization and a same-origin one with it', async () => {
  const client = createDavClient({ url: davUrl, username: 'u', password: 'p' });
  const source = createDavSource({ client, selection: [] });
  const entry = { name: 'old.txt', kind: 'file' as const, size: 10, modified: 0, ref: 'old.txt' };
  const text = await new Response(await source.open(entry, 4, new AbortController().signal)).text();
  expect(text).toBe('456789');
  const auth = basicAuth('u', 'p');
  expect(seen).toEqual([
    { server: 'dav', url: '/dav/old.txt', authorization: auth, range: 'bytes=4-' },
    { server: 'dav', url: '/dav/file.txt', authorization: auth, range: 'bytes=4-' },
    { server: 'storage', url: '/signed?sig=abc', authorization: undefined, range: 'bytes=4-' },
  ]);
});
