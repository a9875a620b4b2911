/**
 * OneDrive / SharePoint uploads (policy `onedrive`).
 *
 * Facts relied on: cloudreve/cloudreve `pkg/filemanager/driver/onedrive/onedrive.go` `Token`
 * creates a Graph upload session (conflict behaviour "fail") and hands its pre-authenticated
 * `uploadUrl` as `upload_urls[0]`, with the policy's `chunk_size`. cloudreve/frontend
 * `src/component/Uploader/core/uploader/onedrive.ts` and `core/api/index.ts`
 * `oneDriveUploadChunk`: each chunk is a `PUT` to that URL with
 * `Content-Range: bytes {start}-{end}/{size}`, in order, no authorization header; a chunk the
 * service already has answers an error with `innererror.code` "fragmentOverlap", and a `GET`
 * of the URL answers `nextExpectedRanges` ("start-" or "start-end"); then
 * `POST /callback/onedrive/{session}/{secret}` (FE `sendOneDriveCompleteUpload`), where the
 * server compares the item's size with the session's (driver `CompleteUpload`).
 * Microsoft Graph "Upload large files with an upload session": fragments must be sent in
 * order; 202 answers `nextExpectedRanges`, the last fragment answers 200/201 with the item.
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

interface UploadSessionStatus {
  nextExpectedRanges?: string[];
}

export async function uploadOneDrive(ctx: ProviderUploadContext): Promise<void> {
  const url = ctx.session.provider.uploadUrls[0];
  if (!url) throw new AppError('storage-provider', 'The upload session has no upload URL');
  if (!ctx.session.provider.completed) {
    const size = ctx.file.size;
    const chunkSize = ctx.session.chunkSize > 0 ? ctx.session.chunkSize : size;
    // Fragments must arrive in order: one at a time, whatever the policy's concurrency.
    await sendChunks(
      ctx.file,
      { chunkSize: ctx.session.chunkSize, concurrency: 1, done: ctx.session.done },
      ctx,
      async (index, chunk) => {
        await sendFragment(ctx, url, index * chunkSize, chunk, size);
        return undefined;
      },
      partRecorder(ctx),
    );
    await recordCompleted(ctx);
  }
  await sendCallback(ctx, 'POST', 'onedrive');
}

/** Sends `chunk` at `start`, or the part of it the service does not have yet. */
async function sendFragment(ctx: ProviderUploadContext, url: string, start: number, chunk: Blob, size: number) {
  try {
    await putRange(ctx, url, start, chunk, size);
  } catch (error) {
    if (!isOverlap(error)) throw error;
    // Sent before a killed worker recorded it (or a retry after a lost answer): ask where to go on.
    const { text } = await storageRequest(ctx.client, url, { method: 'GET', signal: ctx.signal });
    const status = JSON.parse(text) as UploadSessionStatus;
    const next = Number.parseInt(status.nextExpectedRanges?.[0]?.split('-')[0] ?? '', 10);
    // No range expected any more: the service has every byte (the item exists).
    if (!Number.isFinite(next) || next >= start + chunk.size) return;
    if (next < start) throw new AppError('storage-provider', `OneDrive expects byte ${next}, before this chunk`);
    await putRange(ctx, url, next, chunk.slice(next - start), size);
  }
}

async function putRange(ctx: ProviderUploadContext, url: string, start: number, chunk: Blob, size: number) {
  await storageRequest(ctx.client, url, {
    method: 'PUT',
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Range': `bytes ${start}-${start + chunk.size - 1}/${size}`,
    },
    body: chunk,
    signal: ctx.signal,
  });
}

function isOverlap(error: unknown): boolean {
  if (!(error instanceof AppError) || error.code !== 'storage-provider') return false;
  return error.details.status === 416 || String(error.details.body ?? '').includes('fragmentOverlap');
}
