import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ApiContext, Route } from '../context';
import { requireUser } from '../context';
import { encodeBoolset } from '../ids';
import { ApiError, readJson, sendData } from '../http';
import { asSeen, resolveExisting, resolveTarget } from './target';

const ORDER_BY = ['name', 'size', 'updated_at', 'created_at'] as const;
const DEFAULT_PAGE_SIZE = 100;

/** Storage policy summary of list and upload responses (docs/cloudreve-api.md#storage-policies). */
export function policyJson(ctx: ApiContext) {
  const policy = ctx.app.config.policy;
  return {
    id: policy.id,
    name: policy.name,
    type: policy.type,
    max_size: policy.maxSize,
    chunk_concurrency: policy.chunkConcurrency,
  };
}

function decodeCursor(token: string | null): number {
  if (!token) return 0;
  const offset = Number(
    Buffer.from(token, 'base64url')
      .toString('utf8')
      .replace(/^offset:/, ''),
  );
  if (!Number.isInteger(offset) || offset < 0) throw new ApiError(40001, 'Invalid next_page_token');
  return offset;
}

async function list(ctx: ApiContext): Promise<void> {
  const params = ctx.url.searchParams;
  const target = await resolveExisting(ctx, params.get('uri'), { read: true });
  const { files } = ctx.app;
  const maxPageSize = ctx.app.config.maxPageSize;
  const pageSize = Math.min(Number(params.get('page_size')) || DEFAULT_PAGE_SIZE, maxPageSize);
  const orderBy = params.get('order_by') ?? 'name';
  const direction = params.get('order_direction') ?? 'asc';
  if (
    !ORDER_BY.includes(orderBy as (typeof ORDER_BY)[number]) ||
    !['asc', 'desc'].includes(direction) ||
    pageSize < 1
  ) {
    throw new ApiError(40001, 'Invalid list parameters');
  }
  const offset = decodeCursor(params.get('next_page_token'));
  const self = asSeen(ctx, target, target.segments, target.stats);
  let all = [self];
  if (target.stats.isDirectory()) {
    let children = await files.children(target.user.num, target.segments);
    // The root of a file share lists that one file (BE share_navigator.go `Children`).
    const shared = target.share?.share;
    if (shared && !shared.isFolder) children = children.filter(({ name }) => name === shared.segments.at(-1));
    all = children.map(({ name, stats }) => asSeen(ctx, target, [...target.segments, name], stats));
    const key = orderBy as (typeof ORDER_BY)[number];
    const sign = direction === 'desc' ? -1 : 1;
    // Folders first, then files, each ordered by the requested key.
    all.sort((a, b) => b.type - a.type || sign * (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
  }
  const page = all.slice(offset, offset + pageSize);
  const nextOffset = offset + pageSize;
  sendData(ctx.res, {
    files: page,
    parent: self,
    pagination: {
      page: 0,
      page_size: pageSize,
      is_cursor: true,
      ...(nextOffset < all.length ? { next_token: Buffer.from(`offset:${nextOffset}`).toString('base64url') } : {}),
    },
    props: {
      capability: encodeBoolset([...Array(24).keys()]),
      max_page_size: maxPageSize,
      order_by_options: ORDER_BY,
      order_direction_options: ['asc', 'desc'],
    },
    context_hint: randomUUID(),
    mixed_type: false,
    ...(target.stats.isDirectory() ? {} : { single_file_view: true }),
    storage_policy: policyJson(ctx),
  });
}

async function create(ctx: ApiContext): Promise<void> {
  const body = await readJson(ctx.req);
  if (body.type !== 'file' && body.type !== 'folder')
    throw new ApiError(40001, "Key: 'Type' Error:Field validation for 'Type' failed on the 'eq=file|eq=folder' tag");
  const target = await resolveTarget(ctx, body.uri);
  if (target.segments.length === 0) throw new ApiError(40004, 'Object existed');
  const wantDir = body.type === 'folder';
  if (target.stats) {
    if (body.err_on_conflict || target.stats.isDirectory() !== wantDir) throw new ApiError(40004, 'Object existed');
  } else {
    const abs = ctx.app.files.resolve(target.user.num, target.segments);
    // Missing ancestors are created (BE dbfs `Create`).
    if (wantDir) await mkdir(abs, { recursive: true });
    else {
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, new Uint8Array(0));
    }
  }
  const stats = await stat(ctx.app.files.resolve(target.user.num, target.segments));
  sendData(ctx.res, ctx.app.files.toResponse(target.user.num, target.segments, stats));
}

async function remove(ctx: ApiContext): Promise<void> {
  requireUser(ctx);
  const body = await readJson(ctx.req);
  if (!Array.isArray(body.uris) || body.uris.length === 0)
    throw new ApiError(40001, "Key: 'Uris' Error:Field validation for 'Uris' failed on the 'min' tag");
  const errors: Record<string, { code: number; msg: string }> = {};
  for (const uri of body.uris) {
    try {
      const target = await resolveExisting(ctx, uri);
      if (target.segments.length === 0) throw new ApiError(403, 'Permission denied');
      await rm(ctx.app.files.resolve(target.user.num, target.segments), { recursive: true, force: true });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      errors[String(uri)] = { code: err.code, msg: err.message };
    }
  }
  if (Object.keys(errors).length)
    throw new ApiError(40081, 'Failed to complete batch operation', { aggregated_error: errors });
  sendData(ctx.res);
}

/** file/* browsing routes (docs/cloudreve-api.md#listing-files). */
export const fileRoutes: Route[] = [
  { method: 'GET', pattern: /^\/file$/, handle: list },
  {
    method: 'GET',
    pattern: /^\/file\/info$/,
    handle: async (ctx) => {
      const target = await resolveExisting(ctx, ctx.url.searchParams.get('uri'), { read: true });
      sendData(ctx.res, asSeen(ctx, target, target.segments, target.stats));
    },
  },
  // No thumbnail generator: the web UI accepts an error code and disables thumbnails.
  {
    method: 'GET',
    pattern: /^\/file\/thumb$/,
    handle: () => {
      throw new ApiError(404, 'Thumbnail not available');
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/file\/view$/,
    handle: async (ctx) => {
      await readJson(ctx.req);
      sendData(ctx.res);
    },
  },
  { method: 'POST', pattern: /^\/file\/create$/, handle: create },
  { method: 'DELETE', pattern: /^\/file$/, handle: remove },
];
