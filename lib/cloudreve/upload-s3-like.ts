/**
 * S3-compatible multipart uploads: policies `s3`, `oss`, `cos`, `obs` and `ks3`.
 *
 * Facts relied on (cloudreve/cloudreve `pkg/filemanager/driver/{s3,oss,cos,obs,ks3}/*.go`
 * `Token`; cloudreve/frontend `src/component/Uploader/core/uploader/{s3,oss,cos,obs,ks3}.ts`
 * and `core/api/index.ts` `s3LikeUploadChunk`, `s3LikeFinishUpload`, `obsFinishUpload`):
 * - the driver creates the multipart upload and presigns one `PUT` URL per part
 *   (`upload_urls[i]` is part number i+1, `chunk_size` bytes each, the last one shorter) and
 *   one `POST` URL that completes the upload (`completeURL`). KS3, OSS and OBS sign
 *   `Content-Type: application/octet-stream`, so every request sends exactly that;
 * - each part answers its `ETag` header; completion takes
 *   `<CompleteMultipartUpload><Part><PartNumber>n</PartNumber><ETag>…</ETag></Part>…` —
 *   except OSS, whose URL is signed for `x-oss-complete-all: yes` (empty body) and
 *   `x-oss-forbid-overwrite: true`; COS's is signed for `x-cos-forbid-overwrite: true`;
 * - OSS and OBS completion URLs carry a `callback` parameter: the provider calls Cloudreve
 *   itself before it answers. For s3, cos and ks3 the client calls
 *   `GET /callback/{type}/{session}/{secret}` (FE `sendS3LikeCompleteUpload`), and the
 *   server checks the object's size before it creates the file (driver `CompleteUpload`).
 * - S3 may answer a completion with HTTP 200 and an `<Error>` body (AWS
 *   CompleteMultipartUpload documentation), so the body is read, not only the status.
 */
import { AppError } from '../errors';
import { sendChunks } from './upload-chunks';
import {
  partRecorder,
  recordCompleted,
  sendCallback,
  storageRequest,
  type ProviderUploadContext,
} from './upload-provider';

/** Headers the completion URL was signed with, per policy type (FE `uploader/{oss,cos}.ts`). */
const COMPLETE_HEADERS: Record<string, Record<string, string>> = {
  oss: { 'x-oss-forbid-overwrite': 'true', 'x-oss-complete-all': 'yes' },
  cos: { 'x-cos-forbid-overwrite': 'true' },
};

/** Policy types whose provider calls Cloudreve back by itself (a `callback` in the completion URL). */
const PROVIDER_CALLS_BACK = new Set(['oss', 'obs']);

export async function uploadS3Like(ctx: ProviderUploadContext): Promise<void> {
  const { provider } = ctx.session;
  const parts = provider.uploadUrls;
  if (!provider.completed) {
    await sendChunks(
      ctx.file,
      { chunkSize: ctx.session.chunkSize, concurrency: ctx.session.concurrency, done: ctx.session.done },
      ctx,
      async (index, chunk) => {
        const url = parts[index];
        if (!url) throw new AppError('storage-provider', `The upload session has no URL for part ${index + 1}`);
        return putPart(ctx, url, chunk);
      },
      partRecorder(ctx),
    );
    await completeMultipart(ctx);
    await recordCompleted(ctx);
  }
  if (!PROVIDER_CALLS_BACK.has(provider.policyType)) await sendCallback(ctx, 'GET');
}

async function putPart(ctx: ProviderUploadContext, url: string, chunk: Blob): Promise<string> {
  const { response } = await storageRequest(ctx.client, url, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: chunk,
    signal: ctx.signal,
  });
  const etag = response.headers.get('ETag');
  // A bucket whose CORS rules do not expose ETag hides it from a page; the extension, with
  // access to the origin, reads it regardless. Without it the upload cannot be completed.
  if (!etag && ctx.session.provider.policyType !== 'oss') {
    throw new AppError('storage-provider', `${new URL(url).host} did not answer an ETag for a part`);
  }
  return etag ?? '';
}

async function completeMultipart(ctx: ProviderUploadContext): Promise<void> {
  const { provider } = ctx.session;
  if (!provider.completeUrl) throw new AppError('storage-provider', 'The upload session has no completion URL');
  const completeAll = provider.policyType === 'oss';
  const body = completeAll ? '' : partsXml(provider.etags, provider.uploadUrls.length);
  try {
    const { text } = await storageRequest(ctx.client, provider.completeUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', ...COMPLETE_HEADERS[provider.policyType] },
      body,
      signal: ctx.signal,
    });
    if (/<Error>/.test(text))
      throw new AppError('storage-provider', `Completing the upload failed: ${text.slice(0, 200)}`);
  } catch (error) {
    // Completed before a killed worker recorded it: the upload id is gone, the object is there.
    // The callback (or the final size check) tells which; anything else is an error.
    if (ctx.session.done.length === provider.uploadUrls.length && isNoSuchUpload(error)) return;
    throw error;
  }
}

function isNoSuchUpload(error: unknown): boolean {
  return (
    error instanceof AppError &&
    error.details.status === 404 &&
    String(error.details.body ?? '').includes('NoSuchUpload')
  );
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function partsXml(etags: Record<number, string>, count: number): string {
  const parts = Array.from({ length: count }, (_, index) => {
    const etag = etags[index];
    if (etag === undefined) throw new AppError('storage-provider', `No ETag was recorded for part ${index + 1}`);
    return `<Part><PartNumber>${index + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`;
  });
  return `<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>`;
}
