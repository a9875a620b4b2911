import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ApiContext, Route } from '../context';
import { requireUser } from '../context';
import { ApiError, readBody, readJson, sendData } from '../http';
import type { UploadSession } from '../state';
import { randomString } from '../state';
import { policyJson } from './file';
import { callbackRoutes, cancelProviderUpload, startProviderUpload } from './provider-upload';
import { resolveExisting, resolveTarget } from './target';
import { usedBytes } from './user';

const sameTarget = (a: UploadSession, userNum: number, segments: string[]) =>
  a.userNum === userNum && a.segments.join('/') === segments.join('/');

/** Expected byte length of chunk `index` (BE local chunk upload). */
function chunkLength(session: UploadSession, index: number): number {
  if (session.size === 0) return 0;
  return Math.min(session.chunkSize, session.size - index * session.chunkSize);
}

async function createSession(ctx: ApiContext): Promise<void> {
  const body = await readJson(ctx.req);
  const { config, state, files } = ctx.app;
  // BE dbfs/upload.go PrepareUpload: the new file must fit the owner's capacity (40051). Checked
  // before the target is resolved: its stat must be the last await before the reservation below.
  const owner = await resolveTarget(ctx, body.uri);
  if (typeof body.size === 'number' && (await usedBytes(files.userRoot(owner.user.num))) + body.size > config.capacity)
    throw new ApiError(40051, 'Insufficient capacity');
  const target = await resolveTarget(ctx, body.uri);
  if (typeof body.size !== 'number' || !Number.isInteger(body.size) || body.size < 0)
    throw new ApiError(40001, "Key: 'Size' Error:Field validation for 'Size' failed on the 'min' tag");
  if (target.segments.length === 0) throw new ApiError(40004, 'Object existed');
  if (config.policy.maxSize > 0 && body.size > config.policy.maxSize) throw new ApiError(40049, 'File is too large');
  // BE dbfs/upload.go PrepareUpload: existing path needs entity_type "version" (the web app's overwrite).
  if (target.stats && (target.stats.isDirectory() || body.entity_type !== 'version'))
    throw new ApiError(40004, 'Object existed');
  const now = Date.now();
  // BE dbfs/upload.go PrepareUpload locks the path and creates the placeholder in one
  // transaction, so of two concurrent claims exactly one wins. Here the check and the
  // reservation run in one turn of the event loop (no await between them): a claim whose
  // stat ran before the winner's placeholder existed still meets the winner's session.
  for (const other of state.uploads.values()) {
    if (other.expiresAt > now && sameTarget(other, target.user.num, target.segments)) {
      throw new ApiError(40073, 'Lock conflict', { data: [{ path: body.uri, token: other.id, type: 'upload' }] });
    }
  }
  const id = randomUUID();
  const chunkSize = config.policy.chunkSize;
  const session: UploadSession = {
    id,
    userNum: target.user.num,
    segments: target.segments,
    size: body.size,
    chunkSize,
    chunkCount: body.size === 0 ? 1 : Math.ceil(body.size / chunkSize),
    received: new Set(),
    tempPath: join(files.root, '.uploads', id),
    expiresAt: now + config.uploadSessionTtl * 1000,
    lastModified: typeof body.last_modified === 'number' ? body.last_modified : undefined,
  };
  state.uploads.set(id, session);
  let provider: Awaited<ReturnType<typeof startProviderUpload>> | Record<string, never>;
  try {
    // Missing ancestors are created by the upload preparation and stay (docs/cloudreve-api.md#upload-sessions).
    await mkdir(dirname(files.resolve(target.user.num, target.segments)), { recursive: true });
    await mkdir(dirname(session.tempPath), { recursive: true });
    await writeFile(session.tempPath, new Uint8Array(0));
    // BE dbfs/upload.go PrepareUpload: the path gets a placeholder file at once (size 0, metadata
    // sys:upload_session_id), which stays after the session expires until the session is cancelled.
    await files.markUploading(target.user.num, target.segments, id);
    // Provider policies: the driver's Token starts the upload at the provider (sandbox/api/provider-upload.ts).
    const mimeType = typeof body.mime_type === 'string' ? body.mime_type : 'application/octet-stream';
    provider = config.policy.type === 'local' ? {} : await startProviderUpload(ctx.app, session, mimeType);
  } catch (error) {
    state.uploads.delete(id);
    throw error;
  }
  sendData(ctx.res, {
    session_id: id,
    upload_id: id,
    chunk_size: chunkSize,
    expires: Math.floor(session.expiresAt / 1000),
    storage_policy: policyJson(ctx),
    uri: body.uri,
    callback_secret: randomString(32),
    ...(typeof body.mime_type === 'string' ? { mime_type: body.mime_type } : {}),
    ...provider,
  });
}

async function complete(ctx: ApiContext, session: UploadSession): Promise<void> {
  const dest = ctx.app.files.resolve(session.userNum, session.segments);
  await mkdir(dirname(dest), { recursive: true });
  await rename(session.tempPath, dest);
  ctx.app.files.clearUploading(session.userNum, session.segments);
  ctx.app.state.uploads.delete(session.id);
}

async function uploadChunk(ctx: ApiContext): Promise<void> {
  const user = requireUser(ctx);
  const [sessionId, indexText] = ctx.params as [string, string];
  const session = ctx.app.state.uploads.get(sessionId);
  if (!session || session.userNum !== user.num || session.expiresAt <= Date.now())
    throw new ApiError(40011, 'Upload session expired');
  const index = Number(indexText);
  if (!/^\d+$/.test(indexText) || index >= session.chunkCount) throw new ApiError(40012, 'Invalid chunk index');
  const expected = chunkLength(session, index);
  // BE pkg/request/utils.go SniffContentLength: Content-Length, else X-Expected-Entity-Length.
  const declared = ctx.req.headers['content-length'] ?? ctx.req.headers['x-expected-entity-length'];
  if (declared === undefined || Number(declared) !== expected) {
    ctx.req.resume();
    throw new ApiError(40013, 'Invalid Content-Length');
  }
  const data = await readBody(ctx.req, expected);
  if (!data || data.length !== expected) throw new ApiError(40013, 'Invalid Content-Length');
  const handle = await open(session.tempPath, 'r+');
  try {
    await handle.write(data, 0, data.length, index * session.chunkSize);
  } finally {
    await handle.close();
  }
  session.received.add(index);
  // Completes once every index arrived, in any order (docs/cloudreve-api.md#upload-sessions).
  if (session.received.size === session.chunkCount) {
    session.completing ??= complete(ctx, session);
    await session.completing;
  }
  sendData(ctx.res);
}

/**
 * BE manager/upload.go + dbfs/upload.go CancelUploadSession: works whether or not the session
 * is still alive; removes the placeholder at `uri` only when it belongs to that session (a file
 * the session created is deleted, an existing one only loses the mark), else changes nothing.
 */
async function cancelSession(ctx: ApiContext): Promise<void> {
  const body = await readJson(ctx.req);
  if (typeof body.id !== 'string' || typeof body.uri !== 'string') throw new ApiError(40001, 'id and uri are required');
  const target = await resolveExisting(ctx, body.uri);
  const { state, files } = ctx.app;
  const session = state.uploads.get(body.id);
  if (session && (session.userNum !== target.user.num || session.segments.join('/') !== target.segments.join('/')))
    throw new ApiError(40044, 'Upload session not found');
  if (session) {
    state.uploads.delete(body.id);
    await cancelProviderUpload(ctx.app, session);
    await rm(session.tempPath, { force: true });
  }
  const uploading = await files.uploadingAt(target.user.num, target.segments);
  if (uploading?.sessionId === body.id) {
    files.clearUploading(target.user.num, target.segments);
    if (uploading.created) await rm(files.resolve(target.user.num, target.segments), { force: true });
  }
  sendData(ctx.res);
}

async function putContent(ctx: ApiContext): Promise<void> {
  const target = await resolveTarget(ctx, ctx.url.searchParams.get('uri'));
  const limit = ctx.app.config.policy.maxEditSize;
  if (Number(ctx.req.headers['content-length'] ?? 0) > limit) {
    ctx.req.resume();
    throw new ApiError(40049, 'File is too large');
  }
  // BE service/explorer/file.go PutContent: capped at maxEditSize.
  const data = await readBody(ctx.req, limit);
  if (!data) throw new ApiError(40049, 'File is too large');
  if (target.segments.length === 0 || target.stats?.isDirectory()) throw new ApiError(40004, 'Object existed');
  const abs = ctx.app.files.resolve(target.user.num, target.segments);
  await mkdir(dirname(abs), { recursive: true });
  await writeFile(abs, data);
  sendData(ctx.res, ctx.app.files.toResponse(target.user.num, target.segments, await stat(abs)));
}

/** Upload routes (docs/cloudreve-api.md#upload-sessions). */
export const uploadRoutes: Route[] = [
  { method: 'PUT', pattern: /^\/file\/upload$/, handle: createSession },
  { method: 'POST', pattern: /^\/file\/upload\/([^/]+)\/([^/]+)$/, handle: uploadChunk },
  { method: 'DELETE', pattern: /^\/file\/upload$/, handle: cancelSession },
  { method: 'PUT', pattern: /^\/file\/content$/, handle: putContent },
  ...callbackRoutes(complete),
];
