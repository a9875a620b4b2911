/**
 * Upload sessions of provider policies (`s3`, `onedrive`, `qiniu`, `upyun`) and the callback
 * routes that finish them, following cloudreve/cloudreve:
 * - `pkg/filemanager/driver/<type>/*.go` `Token`: what the session answers (`upload_urls`,
 *   `completeURL`, `credential`, `upload_policy`, `mime_type`, `chunk_size`);
 * - `routers/router.go` group `callback` and `middleware/auth.go` `uploadCallbackCheck`:
 *   `/callback/{type}/{sessionID}/{key}`; an unknown or expired session answers 40011, a wrong
 *   key 40020, another policy type 40006, all with HTTP 401; the callback itself fails with
 *   HTTP 400 (`routers/controllers/callback.go` `ProcessCallback`);
 * - `CompleteUpload` of the s3 and onedrive drivers: the object's size must equal the
 *   session's (40055 "File size not match") before the file is created;
 * - `CancelToken`: s3 aborts the multipart upload, onedrive deletes the upload session, qiniu
 *   deletes the multipart upload, upyun has nothing to undo.
 */
import { randomUUID } from 'node:crypto';
import { rm, stat, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { ApiContext, App, Route } from '../context';
import { ApiError, readBody } from '../http';
import type { ProviderUpload, UploadSession } from '../state';
import { randomString } from '../state';
import { callbackSignature, qiniuUploadToken, upyunSign } from '../storage/keys';
import { createS3Client } from '../storage/s3-client';

/** Bucket name the stand-ins (Qiniu, Upyun) use. */
export const STAND_IN_BUCKET = 'sandbox';

type Finish = (ctx: ApiContext, session: UploadSession) => Promise<void>;

function s3Of(app: App) {
  const config = app.config.policy.s3;
  if (!config) throw new ApiError(50002, 'The s3 policy has no bucket configured');
  return createS3Client(config);
}

/** Starts the provider side of `session` and answers the credential fields (driver `Token`). */
export async function startProviderUpload(
  app: App,
  session: UploadSession,
  mimeType: string,
): Promise<Record<string, unknown>> {
  const type = app.config.policy.type as ProviderUpload['type'];
  // BE SavePath: the policy's naming rule; a random prefix keeps keys unique.
  const key = `${session.userNum}/${randomString(16)}_${session.segments.at(-1) ?? 'file'}`;
  const provider: ProviderUpload = {
    type,
    callbackSecret: randomString(32),
    key,
    uploadId: '',
    nextByte: 0,
    parts: new Map(),
    stored: false,
  };
  const ttl = (session.expiresAt - Date.now()) / 1000;
  const chunkSize = session.chunkSize;
  const base = { callback_secret: provider.callbackSecret, chunk_size: chunkSize };
  session.provider = provider;
  switch (type) {
    case 's3': {
      const s3 = s3Of(app);
      provider.uploadId = await s3.createMultipartUpload(key);
      const count = session.size === 0 ? 1 : Math.ceil(session.size / chunkSize);
      return {
        ...base,
        upload_id: provider.uploadId,
        upload_urls: Array.from({ length: count }, (_, i) => s3.partUrl(key, provider.uploadId, i + 1, ttl)),
        completeURL: s3.completeUrl(key, provider.uploadId, ttl),
      };
    }
    case 'onedrive':
      provider.uploadId = randomUUID();
      return { ...base, upload_urls: [`${app.storageUrl()}/onedrive/upload/${provider.uploadId}`] };
    case 'qiniu': {
      provider.uploadId = randomString(24);
      provider.credential = qiniuUploadToken(app.providerKeys, {
        scope: `${STAND_IN_BUCKET}:${key}`,
        callbackUrl: callbackUrl(app, 'qiniu', session.id, provider.callbackSecret),
        fsizeLimit: session.size,
        deadline: Math.floor(session.expiresAt / 1000),
      });
      const objectKey = Buffer.from(key).toString('base64url');
      return {
        ...base,
        upload_id: provider.uploadId,
        upload_urls: [
          `${app.storageUrl()}/qiniu/buckets/${STAND_IN_BUCKET}/objects/${objectKey}/uploads/${provider.uploadId}`,
        ],
        credential: provider.credential,
        mime_type: mimeType,
      };
    }
    case 'upyun': {
      const policy = Buffer.from(
        JSON.stringify({
          bucket: STAND_IN_BUCKET,
          'save-key': key,
          expiration: Math.floor(session.expiresAt / 1000),
          'notify-url': callbackUrl(app, 'upyun', session.id, provider.callbackSecret),
          'content-length': session.size,
          'content-length-range': `0,${session.size}`,
        }),
      ).toString('base64');
      provider.credential = upyunSign(app.providerKeys, ['POST', `/${STAND_IN_BUCKET}`, policy]);
      return {
        ...base,
        chunk_size: 0,
        upload_urls: [`${app.storageUrl()}/upyun/${STAND_IN_BUCKET}`],
        credential: provider.credential,
        upload_policy: policy,
        mime_type: mimeType,
      };
    }
  }
}

export function callbackUrl(app: App, type: string, sessionId: string, secret: string): string {
  return `${app.baseUrl()}/api/v4/callback/${type}/${sessionId}/${secret}`;
}

/** Driver `CancelToken`; best effort, like the server's. */
export async function cancelProviderUpload(app: App, session: UploadSession): Promise<void> {
  const provider = session.provider;
  if (!provider) return;
  if (provider.type === 's3')
    await s3Of(app)
      .abortMultipartUpload(provider.key, provider.uploadId)
      .catch(() => {});
  for (const part of provider.parts.values()) await rm(part.path, { force: true });
  provider.parts.clear();
}

function sendCallbackJson(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The session a callback names, checked as `uploadCallbackCheck` does; answers and returns null on failure. */
function callbackSession(ctx: ApiContext, type: string): UploadSession | null {
  const [sessionId, key] = ctx.params as [string, string];
  const session = ctx.app.state.uploads.get(sessionId);
  const fail = (code: number, msg: string) => (sendCallbackJson(ctx.res, 401, { code, msg, data: null }), null);
  if (!session || session.expiresAt <= Date.now()) return fail(40011, 'Upload session does not exist or expired');
  if (!session.provider || session.provider.callbackSecret !== key) return fail(40020, 'Invalid callback secret');
  if (session.provider.type !== type) return fail(40006, 'Policy not allowed');
  return session;
}

async function finishWith(
  ctx: ApiContext,
  session: UploadSession,
  finish: Finish,
  check: () => Promise<number | null>,
) {
  const size = await check();
  if (size === null) return sendCallbackJson(ctx.res, 400, { code: 40044, msg: 'Object not found', data: null });
  if (size !== session.size) {
    return sendCallbackJson(ctx.res, 400, {
      code: 40055,
      msg: `File size not match, expected: ${session.size}, actual: ${size}`,
      data: null,
    });
  }
  await finish(ctx, session);
  sendCallbackJson(ctx.res, 200, { code: 0, msg: '', data: null });
}

/** Callback routes; `finish` moves the object into the user's files and ends the session. */
export function callbackRoutes(finish: Finish): Route[] {
  const storedSize = async (session: UploadSession) => {
    if (!session.provider?.stored) return null;
    return (await stat(session.tempPath)).size;
  };
  return [
    {
      // BE: GET callback/s3/:sessionID/:key; the driver's CompleteUpload checks the object's size.
      method: 'GET',
      pattern: /^\/callback\/s3\/([^/]+)\/([^/]+)$/,
      async handle(ctx) {
        const session = callbackSession(ctx, 's3');
        if (!session) return;
        const s3 = s3Of(ctx.app);
        await finishWith(ctx, session, finish, async () => {
          const size = await s3.head(session.provider!.key);
          if (size !== null && size === session.size)
            await writeFile(session.tempPath, await s3.get(session.provider!.key));
          return size;
        });
      },
    },
    {
      method: 'POST',
      pattern: /^\/callback\/onedrive\/([^/]+)\/([^/]+)$/,
      async handle(ctx) {
        ctx.req.resume();
        const session = callbackSession(ctx, 'onedrive');
        if (session) await finishWith(ctx, session, finish, () => storedSize(session));
      },
    },
    // Qiniu's callback and Upyun's notify, sent by the stand-ins and signed with their keys (BE
    // routers/controllers/callback.go QiniuCallbackValidate, UpyunCallbackAuth).
    ...(['qiniu', 'upyun'] as const).map((type): Route => ({
      method: 'POST',
      pattern: new RegExp(`^/callback/${type}/([^/]+)/([^/]+)$`),
      async handle(ctx) {
        const body = (await readBody(ctx.req, 64 * 1024))?.toString('utf8') ?? '';
        const session = callbackSession(ctx, type);
        if (!session) return;
        if (ctx.req.headers.authorization !== callbackSignature(ctx.app.providerKeys, ctx.url.pathname, body)) {
          return sendCallbackJson(ctx.res, 401, { error: 'Failed to verify callback request.' });
        }
        await finishWith(ctx, session, finish, () => storedSize(session));
      },
    })),
  ];
}
