/**
 * Upyun uploads (policy `upyun`): one form upload, no parts.
 *
 * Facts relied on: cloudreve/cloudreve `pkg/filemanager/driver/upyun/upyun.go` `Token`
 * answers the form API URL as `upload_urls[0]`, the base64 policy as `upload_policy` (its
 * `notify-url` is Cloudreve's callback, its `content-length` the exact size) and the
 * signature as `credential`. cloudreve/frontend `src/component/Uploader/core/uploader/upyun.ts`
 * and `core/api/index.ts` `upyunFormUploadChunk`: `POST` multipart/form-data with `policy`,
 * `authorization`, `content-type` and, last, `file`. Upyun notifies Cloudreve after it
 * answered (a notify, not a synchronous callback), so the upload waits for the placeholder to
 * turn into the file.
 */
import { AppError } from '../errors';
import { withRetry, DEFAULT_RETRY } from './retry';
import {
  recordCompleted,
  storageRequest,
  waitForProviderCallback,
  type ProviderUploadContext,
} from './upload-provider';

export async function uploadUpyun(ctx: ProviderUploadContext): Promise<void> {
  const { provider } = ctx.session;
  const url = provider.uploadUrls[0];
  if (!url || !provider.uploadPolicy || !provider.credential)
    throw new AppError('storage-provider', 'The upload session has no Upyun form policy');
  if (!provider.completed) {
    await withRetry(
      ctx.retry ?? DEFAULT_RETRY,
      async () => {
        const form = new FormData();
        form.append('policy', provider.uploadPolicy!);
        form.append('authorization', provider.credential!);
        if (provider.mimeType) form.append('content-type', provider.mimeType);
        // The file must be the last field (FE `upyunFormUploadChunk`).
        form.append('file', ctx.file, 'file');
        await storageRequest(ctx.client, url, { method: 'POST', body: form, signal: ctx.signal });
      },
      ctx.signal,
    );
    ctx.onProgress?.({ sent: ctx.file.size, total: ctx.file.size });
    await recordCompleted(ctx);
  }
  await waitForProviderCallback(ctx);
}
