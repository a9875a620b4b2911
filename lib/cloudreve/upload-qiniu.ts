/**
 * Qiniu Kodo uploads (policy `qiniu`), multipart upload API v2.
 *
 * Facts relied on: cloudreve/cloudreve `pkg/filemanager/driver/qiniu/qiniu.go` `Token`
 * initiates the multipart upload and answers `upload_urls[0]` =
 * `{upHost}/buckets/{bucket}/objects/{base64url(key)}/uploads/{uploadId}`, the upload token
 * as `credential`, `chunk_size` and `mime_type`; its put policy carries Cloudreve's callback
 * URL, so Qiniu calls Cloudreve itself when the upload completes. cloudreve/frontend
 * `src/component/Uploader/core/uploader/qiniu.ts` and `core/api/index.ts`
 * (`qiniuDriveUploadChunk`, `qiniuFinishUpload`): part i+1 is `PUT {url}/{i+1}` with
 * `Authorization: UpToken {credential}`, answering JSON `{etag, md5}`; completion is
 * `POST {url}` with JSON `{parts: [{etag, partNumber}], mimeType}` and the same header.
 */
import { AppError } from '../errors';
import { sendChunks } from './upload-chunks';
import { partRecorder, recordCompleted, storageRequest, type ProviderUploadContext } from './upload-provider';

export async function uploadQiniu(ctx: ProviderUploadContext): Promise<void> {
  const { provider } = ctx.session;
  const url = provider.uploadUrls[0];
  if (!url || !provider.credential)
    throw new AppError('storage-provider', 'The upload session has no Qiniu upload URL');
  if (provider.completed) return;
  const authorization = `UpToken ${provider.credential}`;
  await sendChunks(
    ctx.file,
    { chunkSize: ctx.session.chunkSize, concurrency: ctx.session.concurrency, done: ctx.session.done },
    ctx,
    async (index, chunk) => {
      const { text } = await storageRequest(ctx.client, `${url}/${index + 1}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', Authorization: authorization },
        body: chunk,
        signal: ctx.signal,
      });
      const etag = (JSON.parse(text) as { etag?: string }).etag;
      if (!etag) throw new AppError('storage-provider', `Qiniu answered no etag for part ${index + 1}`);
      return etag;
    },
    partRecorder(ctx),
  );
  const etags = ctx.session.provider.etags;
  const count = Object.keys(etags).length;
  const parts = Array.from({ length: count }, (_, index) => ({ etag: etags[index]!, partNumber: index + 1 }));
  try {
    await storageRequest(ctx.client, url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: authorization },
      body: JSON.stringify({ parts, mimeType: provider.mimeType }),
      signal: ctx.signal,
    });
  } catch (error) {
    // 612 "no such upload": completed before a killed worker recorded it; the final check decides.
    if (!(error instanceof AppError && error.details.status === 612)) throw error;
  }
  await recordCompleted(ctx);
}
