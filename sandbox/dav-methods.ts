/** WebDAV methods over the user's file folder (docs/cloudreve-api.md#webdav-endpoint). */
import type { Stats } from 'node:fs';
import { cp, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { signedContentUrl } from './api/file-url';
import type { App } from './context';
import type { DavResource } from './dav-xml';
import { multistatus, propResponse } from './dav-xml';
import { readBody, sendText } from './http';
import type { DavAccount, SandboxUser } from './state';
import { decodeSegments } from './uri';

/** Headers on every DAV answer (docs/cloudreve-api.md#webdav-endpoint). */
export const DAV_HEADERS = { DAV: '1, 2', 'MS-Author-Via': 'DAV' };
/** Methods a read-only account may not use. */
export const WRITE_METHODS = new Set(['DELETE', 'PUT', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK']);
/** The Allow header of OPTIONS. */
export const ALLOW = 'OPTIONS, LOCK, PUT, MKCOL, DELETE, COPY, MOVE, UNLOCK, PROPFIND, PROPPATCH, GET, HEAD, POST';

/** One authenticated DAV request. */
export interface DavRequest {
  app: App;
  req: IncomingMessage;
  res: ServerResponse;
  user: SandboxUser;
  account: DavAccount;
  /** Account root + request path, decoded. */
  segments: string[];
  /** Request path relative to the account root. */
  rel: string[];
}

/** `/dav/a%20b/c` → ['a b', 'c'], or null for undecodable or dot segments. */
export function davPath(pathname: string): string[] | null {
  return decodeSegments(pathname.replace(/^\/dav/, ''));
}

const etagOf = (app: App, dav: DavRequest, segments: string[], stats: Stats) =>
  `${app.files.entityId(dav.user.num, segments)}-${stats.mtimeMs.toString(36)}-${stats.size}`;

async function propfind(dav: DavRequest, stats: Stats): Promise<void> {
  const { app, req, res } = dav;
  await readBody(req, 1024 * 1024);
  // Depth: infinity is accepted and the default (docs/cloudreve-api.md#webdav-endpoint).
  const depth = String(req.headers.depth ?? 'infinity').toLowerCase();
  if (!['0', '1', 'infinity'].includes(depth)) return sendText(res, 400, 'Bad Depth', DAV_HEADERS);
  const rootLength = dav.segments.length - dav.rel.length;
  const resources: DavResource[] = [];
  const visit = async (segments: string[], itemStats: Stats, level: number): Promise<void> => {
    resources.push({
      segments: segments.slice(rootLength),
      stats: itemStats,
      etag: etagOf(app, dav, segments, itemStats),
    });
    if (!itemStats.isDirectory() || (depth !== 'infinity' && level >= Number(depth))) return;
    for (const child of await app.files.children(dav.user.num, segments))
      await visit([...segments, child.name], child.stats, level + 1);
  };
  await visit(dav.segments, stats, 0);
  const body = multistatus(resources.map(propResponse));
  res.writeHead(207, {
    ...DAV_HEADERS,
    'Content-Type': 'application/xml; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function put(dav: DavRequest, stats: Stats | null): Promise<void> {
  const { app, req, res } = dav;
  if (stats?.isDirectory()) {
    req.resume();
    return sendText(res, 405, 'Method Not Allowed', DAV_HEADERS);
  }
  // Without Content-Length / X-Expected-Entity-Length the body is read as 0 bytes
  // (docs/cloudreve-api.md#webdav-endpoint).
  const declared = req.headers['content-length'] ?? req.headers['x-expected-entity-length'];
  const body = declared === undefined ? (req.resume(), Buffer.alloc(0)) : ((await readBody(req)) ?? Buffer.alloc(0));
  const abs = app.files.resolve(dav.user.num, dav.segments);
  await mkdir(dirname(abs), { recursive: true });
  // Always overwrites; If-None-Match / If-Match are ignored (upstream TODO).
  await writeFile(abs, body);
  const written = await stat(abs);
  res.writeHead(201, { ...DAV_HEADERS, ETag: `"${etagOf(app, dav, dav.segments, written)}"`, 'Content-Length': 0 });
  res.end();
}

async function copyOrMove(dav: DavRequest, stats: Stats | null): Promise<void> {
  const { app, req, res } = dav;
  req.resume();
  if (!stats) return sendText(res, 404, 'Not Found', DAV_HEADERS);
  let destination: URL;
  try {
    destination = new URL(String(req.headers.destination ?? ''), `http://${req.headers.host}`);
  } catch {
    return sendText(res, 400, 'Bad Destination', DAV_HEADERS);
  }
  const destRel = destination.pathname.startsWith('/dav') ? davPath(destination.pathname) : null;
  if (!destRel) return sendText(res, 502, 'Bad Gateway', DAV_HEADERS);
  const destSegments = [...dav.segments.slice(0, dav.segments.length - dav.rel.length), ...destRel];
  if (destSegments.join('/') === dav.segments.join('/') || destRel.length === 0)
    return sendText(res, 403, 'Forbidden', DAV_HEADERS);
  const destStats = await app.files.stat(dav.user.num, destSegments);
  if (destStats && String(req.headers.overwrite ?? 'T').toUpperCase() === 'F')
    return sendText(res, 412, 'Precondition Failed', DAV_HEADERS);
  const destAbs = app.files.resolve(dav.user.num, destSegments);
  if (!(await app.files.stat(dav.user.num, destSegments.slice(0, -1))))
    return sendText(res, 409, 'Conflict', DAV_HEADERS);
  if (destStats) await rm(destAbs, { recursive: true, force: true });
  const srcAbs = app.files.resolve(dav.user.num, dav.segments);
  if (req.method === 'MOVE') await rename(srcAbs, destAbs);
  else await cp(srcAbs, destAbs, { recursive: true, preserveTimestamps: true });
  res.writeHead(destStats ? 204 : 201, DAV_HEADERS).end();
}

async function lock(dav: DavRequest): Promise<void> {
  await readBody(dav.req, 1024 * 1024);
  const token = `opaquelocktoken:${crypto.randomUUID()}`;
  const body = `<?xml version="1.0" encoding="utf-8"?><D:prop xmlns:D="DAV:"><D:lockdiscovery><D:activelock><D:locktype><D:write/></D:locktype><D:lockscope><D:exclusive/></D:lockscope><D:depth>infinity</D:depth><D:timeout>Second-3600</D:timeout><D:locktoken><D:href>${token}</D:href></D:locktoken></D:activelock></D:lockdiscovery></D:prop>`;
  dav.res.writeHead(200, {
    ...DAV_HEADERS,
    'Lock-Token': `<${token}>`,
    'Content-Type': 'application/xml; charset=utf-8',
  });
  dav.res.end(body);
}

/** Runs one DAV method on an authenticated request. */
export async function dispatch(dav: DavRequest, stats: Stats | null): Promise<void> {
  const { app, req, res } = dav;
  switch (req.method) {
    case 'PROPFIND':
      if (!stats) return sendText(res, 404, 'Not Found', DAV_HEADERS);
      return propfind(dav, stats);
    case 'GET':
    case 'HEAD':
    case 'POST': {
      req.resume();
      if (!stats) return sendText(res, 404, 'Not Found', DAV_HEADERS);
      if (stats.isDirectory()) return sendText(res, 405, 'Method Not Allowed', DAV_HEADERS);
      // Not proxied: 302 to the signed entity URL (docs/cloudreve-api.md#webdav-endpoint).
      const { url } = signedContentUrl(
        app,
        app.files.entityId(dav.user.num, dav.segments),
        dav.segments[dav.segments.length - 1]!,
      );
      res.writeHead(302, { ...DAV_HEADERS, Location: url, 'Content-Length': 0 }).end();
      return;
    }
    case 'PUT':
      return put(dav, stats);
    case 'MKCOL': {
      const body = await readBody(req, 1024 * 1024);
      if (body && body.length) return sendText(res, 415, 'Unsupported Media Type', DAV_HEADERS);
      if (stats) return sendText(res, 405, 'Method Not Allowed', DAV_HEADERS);
      if (!(await app.files.stat(dav.user.num, dav.segments.slice(0, -1))))
        return sendText(res, 409, 'Conflict', DAV_HEADERS);
      await mkdir(app.files.resolve(dav.user.num, dav.segments));
      res.writeHead(201, DAV_HEADERS).end();
      return;
    }
    case 'DELETE':
      req.resume();
      if (!stats) return sendText(res, 404, 'Not Found', DAV_HEADERS);
      if (dav.rel.length === 0) return sendText(res, 403, 'Forbidden', DAV_HEADERS);
      await rm(app.files.resolve(dav.user.num, dav.segments), { recursive: true, force: true });
      res.writeHead(204, DAV_HEADERS).end();
      return;
    case 'COPY':
    case 'MOVE':
      return copyOrMove(dav, stats);
    case 'LOCK':
      return lock(dav);
    case 'UNLOCK':
      req.resume();
      res.writeHead(204, DAV_HEADERS).end();
      return;
    case 'PROPPATCH': {
      await readBody(req, 1024 * 1024);
      if (!stats) return sendText(res, 404, 'Not Found', DAV_HEADERS);
      const body = multistatus([]);
      res.writeHead(207, { ...DAV_HEADERS, 'Content-Type': 'application/xml; charset=utf-8' }).end(body);
      return;
    }
    default:
      req.resume();
      return sendText(res, 405, 'Method Not Allowed', DAV_HEADERS);
  }
}
