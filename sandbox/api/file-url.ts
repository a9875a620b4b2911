import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { PERMISSION } from '../config';
import type { ApiContext, App, Route } from '../context';
import { ApiError, readJson, sendData } from '../http';
import { rfc3339 } from '../jwt';
import { mimeType } from '../mime';
import { pathEscape } from '../uri';
import { resolveExisting } from './target';

function signature(app: App, entityId: string, expires: number): string {
  return createHmac('sha256', app.state.secret).update(`content:${entityId}:${expires}`).digest('base64url');
}

/**
 * Absolute signed URL of an entity, like the local policy's `/api/v4/file/content/{entity}/{speed}/{name}?sign=`
 * (docs/cloudreve-api.md#download-urls).
 */
export function signedContentUrl(app: App, entityId: string, name: string): { url: string; expires: number } {
  const expires = Math.floor(Date.now() / 1000) + app.config.entityUrlTtl;
  const sign = `${signature(app, entityId, expires)}:${expires}`;
  return {
    url: `${app.baseUrl()}/api/v4/file/content/${entityId}/0/${pathEscape(name)}?sign=${encodeURIComponent(sign)}`,
    expires,
  };
}

async function fileUrls(ctx: ApiContext): Promise<void> {
  const body = await readJson(ctx.req);
  if (!Array.isArray(body.uris) || body.uris.length === 0)
    throw new ApiError(40001, "Key: 'Uris' Error:Field validation for 'Uris' failed on the 'min' tag");
  // BE middleware/file.go ValidateBatchFileCount.
  if (body.uris.length > ctx.app.config.maxBatchedFile) throw new ApiError(40074, 'Too many URIs');
  if (body.archive) {
    // archive_download (bit 4) gates server batch download; its 40007 has an empty msg
    // (docs/cloudreve-api.md#error-codes).
    if (!ctx.user || !ctx.app.state.hasPermission(ctx.user, PERMISSION.archiveDownload)) throw new ApiError(40007, '');
    throw new ApiError(40019, 'Server-side archive download is not available in the sandbox');
  }
  const urls: { url: string; stream_saver_display_name?: string }[] = [];
  const errors: Record<string, { code: number; msg: string }> = {};
  let earliest: number | null = null;
  for (const uri of body.uris) {
    try {
      const target = await resolveExisting(ctx, uri, { read: true });
      if (target.stats.isDirectory()) throw new ApiError(40016, 'Path not exist: not a file');
      const name = target.segments[target.segments.length - 1]!;
      const { url, expires } = signedContentUrl(
        ctx.app,
        ctx.app.files.entityId(target.user.num, target.segments),
        name,
      );
      urls.push(body.download ? { url, stream_saver_display_name: name } : { url });
      earliest = earliest === null ? expires : Math.min(earliest, expires);
    } catch (err) {
      if (!(err instanceof ApiError) || err.code === 401) throw err;
      errors[String(uri)] = { code: err.code, msg: err.message };
      // skip_error keeps the slot with an empty url (BE manager/entity.go GetEntityUrls).
      urls.push({ url: '' });
    }
  }
  if (Object.keys(errors).length && !body.skip_error) {
    throw new ApiError(40081, 'Failed to complete batch operation', { aggregated_error: errors });
  }
  sendData(ctx.res, { urls, expires: earliest === null ? null : rfc3339(earliest * 1000) });
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return header.includes(',') ? null : 'invalid';
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start > end || start >= size ? 'invalid' : { start, end };
}

async function content(ctx: ApiContext): Promise<void> {
  const { res } = ctx;
  // BE middleware/common.go ContentCORS: always CORS * on entity downloads.
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'Range, Authorization, Content-Type');
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
  res.setHeader(
    'Access-Control-Expose-Headers',
    'Content-Range, Content-Length, Content-Disposition, ETag, Accept-Ranges',
  );
  if (ctx.req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }
  const entityId = ctx.params[0]!;
  const [givenSign, expiresText] = (ctx.url.searchParams.get('sign') ?? '').split(':');
  const expires = Number(expiresText);
  const expected = Buffer.from(signature(ctx.app, entityId, expires));
  const given = Buffer.from(givenSign ?? '');
  if (!(expires > Date.now() / 1000) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ApiError(40020, 'invalid sign');
  }
  const target = ctx.app.files.entityTarget(entityId);
  const stats = target ? await ctx.app.files.stat(target.userNum, target.segments) : null;
  if (!target || !stats || !stats.isFile()) throw new ApiError(404, 'Entity not exist');
  const size = stats.size;
  const range = parseRange(ctx.req.headers.range, size);
  const headers: Record<string, string | number> = {
    'Content-Type': mimeType(target.segments[target.segments.length - 1]!),
    'Accept-Ranges': 'bytes',
    'Last-Modified': stats.mtime.toUTCString(),
    ETag: `"${entityId}"`,
  };
  if (range === 'invalid') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'Content-Length': length,
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (ctx.req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(ctx.app.files.resolve(target.userNum, target.segments), { start, end })
      .on('error', reject)
      .pipe(res)
      .on('finish', resolve)
      .on('close', resolve);
  });
}

/** file/url and the signed entity download route. */
export const fileUrlRoutes: Route[] = [
  { method: 'POST', pattern: /^\/file\/url$/, handle: fileUrls },
  ...['GET', 'HEAD', 'OPTIONS'].map((method) => ({
    method,
    pattern: /^\/file\/content\/([^/]+)\/([^/]+)\/([^/]+)$/,
    handle: content,
  })),
];
