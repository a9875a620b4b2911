/**
 * Uploads that go from the browser straight to the storage provider behind a Cloudreve
 * storage policy, as Cloudreve's own web app does (cloudreve/frontend
 * `src/component/Uploader/core/index.ts` picks one uploader per `PolicyType`).
 *
 * What the upload session (`PUT /file/upload`) carries for these policies comes from each
 * driver's `Token` (cloudreve/cloudreve `pkg/filemanager/driver/<type>/*.go`) and from
 * `pkg/filemanager/manager/upload.go` `CreateUploadSession`, which adds `session_id`,
 * `expires`, `callback_secret` and the policy. Cancelling the Cloudreve session
 * (`DELETE /file/upload`) makes the server call the driver's `CancelToken`, which aborts the
 * multipart upload (S3-like, Qiniu) or deletes the upload session (OneDrive): the extension
 * itself holds no URL that could do that.
 *
 * Security: the storage origin never sees the Cloudreve token. Requests to it go through the
 * client's bare `fetch`, never `client.request`, and the extension asks for access to exactly
 * that origin (`StorageAccess`) before the first byte.
 */
import type { UploadProgress } from '../archive/types';
import { AppError } from '../errors';
import { fetchOrNetworkError, type CloudreveClient } from './client';
import { getInfo } from './files';
import type { RetryPolicy } from './retry';
import type { UploadSessionResponse } from './types';
import { UPLOAD_SESSION_METADATA, type ProviderSession, type SessionRecord } from './upload-resume';
import { sleep } from '../sleep';

/** Policy types whose uploads go to the provider, by family (FE `core/index.ts`). */
export const PROVIDER_FAMILIES = {
  s3: 's3-like',
  oss: 's3-like',
  cos: 's3-like',
  obs: 's3-like',
  ks3: 's3-like',
  onedrive: 'onedrive',
  qiniu: 'qiniu',
  upyun: 'upyun',
} as const;

export type ProviderFamily = (typeof PROVIDER_FAMILIES)[keyof typeof PROVIDER_FAMILIES];

export function providerFamily(policyType: string): ProviderFamily | undefined {
  return Object.hasOwn(PROVIDER_FAMILIES, policyType)
    ? PROVIDER_FAMILIES[policyType as keyof typeof PROVIDER_FAMILIES]
    : undefined;
}

/**
 * Whether the extension may send requests to a storage origin. `whenGranted` waits until the
 * user grants it (or `signal` aborts): the job pauses there instead of failing.
 */
export interface StorageAccess {
  has(origin: string): Promise<boolean>;
  whenGranted(origin: string, signal: AbortSignal): Promise<void>;
}

/** What a family's upload works with. */
export interface ProviderUploadContext {
  client: CloudreveClient;
  file: Blob;
  signal: AbortSignal;
  /** Cloudreve's session; `session.provider` is set. */
  session: SessionRecord & { provider: ProviderSession };
  /** The URI being uploaded (to learn when an asynchronous provider callback has landed). */
  uri: string;
  retry?: RetryPolicy;
  onProgress?: (progress: UploadProgress) => void;
  /** Persists the session record (acknowledged parts, ETags, completion); awaited. */
  record(session: SessionRecord & { provider: ProviderSession }): Promise<void>;
}

export interface ProviderUploadOptions {
  access?: StorageAccess;
  /** Told the origin the job waits for (undefined once it may go on). */
  onWaiting?: (origin: string | undefined) => Promise<void>;
}

/** The part of the session response a provider upload keeps. */
export function providerSession(response: UploadSessionResponse): ProviderSession {
  return {
    policyType: response.storage_policy.type,
    uploadUrls: response.upload_urls ?? [],
    completeUrl: response.completeURL,
    credential: response.credential,
    uploadPolicy: response.upload_policy,
    callbackSecret: response.callback_secret,
    mimeType: response.mime_type,
    etags: {},
  };
}

/** The storage origin the session points at. */
export function storageOrigin(provider: ProviderSession): string {
  const first = provider.uploadUrls[0] ?? provider.completeUrl;
  if (!first) throw new AppError('storage-provider', 'The upload session has no upload URL');
  return new URL(first).origin;
}

/** Waits for access to the storage origin when the extension has none yet. */
export async function ensureStorageAccess(
  provider: ProviderSession,
  signal: AbortSignal,
  { access, onWaiting }: ProviderUploadOptions,
): Promise<void> {
  if (!access) return;
  const origin = storageOrigin(provider);
  if (await access.has(origin)) return;
  await onWaiting?.(origin);
  await access.whenGranted(origin, signal);
  await onWaiting?.(undefined);
}

/** A request to the storage origin: no Cloudreve token, ever. HTTP errors become 'storage-provider'. */
export async function storageRequest(
  client: CloudreveClient,
  url: string,
  init: RequestInit & { signal: AbortSignal },
): Promise<{ response: Response; text: string }> {
  const response = await fetchOrNetworkError(client.fetch, url, { ...init, credentials: 'omit' });
  const text = await response.text();
  if (!response.ok) {
    throw new AppError(
      'storage-provider',
      `${new URL(url).host} answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      { status: response.status, body: text.slice(0, 2000) },
    );
  }
  return { response, text };
}

/**
 * `/callback/{type}/{session}/{secret}`: tells Cloudreve the provider holds the object
 * (cloudreve/cloudreve `routers/router.go`, group `callback`). The session secret is the
 * authentication (`middleware/auth.go` `uploadCallbackCheck`), so no token is sent. An
 * expired or completed session answers 40011.
 */
export async function sendCallback(
  ctx: ProviderUploadContext,
  method: 'GET' | 'POST',
  policyType = ctx.session.provider.policyType,
): Promise<void> {
  const secret = ctx.session.provider.callbackSecret ?? '';
  const path = `/callback/${policyType}/${encodeURIComponent(ctx.session.id)}/${encodeURIComponent(secret)}`;
  await ctx.client.request(method, path, { auth: false, signal: ctx.signal });
}

/** Polling bound for a provider that calls Cloudreve back on its own, after answering us. */
const CALLBACK_POLLS = 120;
const CALLBACK_POLL_MS = 1000;

/**
 * Waits until Cloudreve has taken the provider's own callback: the placeholder at the URI
 * loses its `sys:upload_session_id` (BE `dbfs/upload.go` `CompleteUpload`). Upyun's
 * `notify-url` is called after the form upload answered (driver/upyun `UploadPolicy`).
 */
export async function waitForProviderCallback(ctx: ProviderUploadContext): Promise<void> {
  for (let poll = 0; poll < CALLBACK_POLLS; poll++) {
    const info = await getInfo(ctx.client, ctx.uri, ctx.signal);
    if (info.metadata?.[UPLOAD_SESSION_METADATA] !== ctx.session.id) return;
    await sleep(CALLBACK_POLL_MS, ctx.signal);
  }
  throw new AppError('storage-provider', 'The storage provider stored the archive but never told Cloudreve');
}

/** Records one acknowledged part (and its receipt) on top of what was recorded before. */
export function partRecorder(
  ctx: ProviderUploadContext,
): (index: number, receipt: string | undefined) => Promise<void> {
  const done = new Set(ctx.session.done);
  const etags = { ...ctx.session.provider.etags };
  return async (index, receipt) => {
    done.add(index);
    if (receipt !== undefined) etags[index] = receipt;
    ctx.session = {
      ...ctx.session,
      done: [...done].sort((a, b) => a - b),
      provider: { ...ctx.session.provider, etags: { ...etags } },
    };
    await ctx.record(ctx.session);
  };
}

/** Marks the provider's completion as done, so a resumed job goes straight to the callback. */
export async function recordCompleted(ctx: ProviderUploadContext): Promise<void> {
  ctx.session = { ...ctx.session, provider: { ...ctx.session.provider, completed: true } };
  await ctx.record(ctx.session);
}
