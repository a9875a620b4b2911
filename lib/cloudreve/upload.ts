/**
 * Uploads a finished archive without ever overwriting (cloudreve-v4.md §5 "Upload"):
 * small files with `PUT /file/content`, larger ones through an upload session with
 * exact-length chunks. Never sends `entity_type: "version"`.
 */
import type { UploadProgress } from '../archive/types';
import { AppError, CloudreveError } from '../errors';
import { envelopeError, fetchOrNetworkError, type CloudreveClient } from './client';
import { fileExists, getInfo } from './files';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import { Code, type FileResponse, type Response as Envelope, type UploadSessionResponse } from './types';

/** Server default `maxEditSize` for `PUT /file/content` (BE `FileUpdateService.PutContent`). */
export const DEFAULT_MAX_EDIT_SIZE = 50 * 1024 * 1024;

export interface UploadOptions {
  client: CloudreveClient;
  /** Full URI of the file to create. */
  uri: string;
  file: Blob;
  signal: AbortSignal;
  onProgress?: (progress: UploadProgress) => void;
  maxEditSize?: number;
  /** Parallel chunks; default the policy's `chunk_concurrency` clamped to 1..3. */
  chunkConcurrency?: number;
  retry?: RetryPolicy;
  lastModified?: number;
}

/** Uploads `file` to `uri`, rejecting with 'destination-exists' rather than overwrite. */
export async function uploadFile(options: UploadOptions): Promise<FileResponse> {
  const { client, uri, file, signal } = options;
  const total = file.size;
  if (total <= (options.maxEditSize ?? DEFAULT_MAX_EDIT_SIZE)) {
    // PUT /file/content would add a version to an existing file, so check first.
    // The window between check and PUT is small; session uploads below are atomic.
    if (await fileExists(client, uri, signal)) throw existsError(uri);
    await client.request<FileResponse>('PUT', '/file/content', { query: { uri }, body: file, signal });
    options.onProgress?.({ sent: total, total });
  } else {
    await uploadWithSession(options);
  }
  const stored = await getInfo(client, uri, signal);
  if (stored.size !== total) {
    throw new AppError('size-mismatch', `Cloudreve stored ${stored.size} bytes for ${stored.name}, expected ${total}`, {
      stored: stored.size,
      expected: total,
    });
  }
  return stored;
}

function existsError(uri: string): CloudreveError {
  return new CloudreveError('destination-exists', Code.ObjectExist, `A file already exists at ${uri}`);
}

async function uploadWithSession(options: UploadOptions): Promise<void> {
  const { client, uri, file, signal } = options;
  const session = await client.request<UploadSessionResponse>('PUT', '/file/upload', {
    body: {
      uri,
      size: file.size,
      last_modified: options.lastModified ?? Date.now(),
      mime_type: file.type || 'application/zip',
    },
    signal,
  });
  try {
    const policy = session.storage_policy;
    let send: (index: number, chunk: Blob) => Promise<void>;
    if (policy.type === 'local' || policy.relay) {
      send = (index, chunk) =>
        client.request('POST', `/file/upload/${encodeURIComponent(session.session_id)}/${index}`, {
          body: chunk,
          headers: { 'Content-Type': 'application/octet-stream' },
          signal,
        });
    } else if (policy.type === 'remote' && session.upload_urls?.[0]) {
      send = (index, chunk) => sendRemoteChunk(client, session, index, chunk, signal);
    } else {
      throw new AppError(
        'unsupported-policy',
        `The storage policy "${policy.name}" (${policy.type}) needs a provider upload this extension cannot do. ` +
          'Use WebDAV as the destination or "save to this computer" instead.',
        { policyType: policy.type },
      );
    }
    const concurrency = options.chunkConcurrency ?? Math.min(Math.max(policy.chunk_concurrency ?? 1, 1), 3);
    await sendChunks(file, session.chunk_size, concurrency, options, send);
  } catch (error) {
    // Best effort, and not tied to the (maybe aborted) job signal (cloudreve-v4.md §5 step 3).
    await client.request('DELETE', '/file/upload', { body: { id: session.session_id, uri } }).catch(() => {});
    throw error;
  }
}

/** `POST upload_urls[0]?chunk=i` with the session credential, never our Bearer token. */
async function sendRemoteChunk(
  client: CloudreveClient,
  session: UploadSessionResponse,
  index: number,
  chunk: Blob,
  signal: AbortSignal,
): Promise<void> {
  const target = new URL(session.upload_urls![0]!);
  target.searchParams.set('chunk', String(index));
  const response = await fetchOrNetworkError(client.fetch, target.href, {
    method: 'POST',
    headers: { Authorization: session.credential ?? '', 'Content-Type': 'application/octet-stream' },
    body: chunk,
    signal,
  });
  const text = await response.text();
  if (response.status >= 500)
    throw new AppError('network', `Storage node answered HTTP ${response.status}`, { status: response.status });
  let envelope: Envelope<unknown> | undefined;
  try {
    envelope = JSON.parse(text) as Envelope<unknown>;
  } catch {
    envelope = undefined;
  }
  if (!response.ok || !envelope)
    throw new AppError('cloudreve', `Storage node answered HTTP ${response.status}`, { status: response.status });
  if (envelope.code !== Code.Success) throw envelopeError(envelope);
}

/** Sends `[i*chunkSize, min((i+1)*chunkSize, size))` for every i, `concurrency` at a time. */
async function sendChunks(
  file: Blob,
  chunkSize: number,
  concurrency: number,
  options: UploadOptions,
  send: (index: number, chunk: Blob) => Promise<void>,
): Promise<void> {
  const size = chunkSize > 0 ? chunkSize : file.size;
  const count = Math.max(1, Math.ceil(file.size / size));
  const retry = options.retry ?? DEFAULT_RETRY;
  let next = 0;
  let sent = 0;
  let failed = false;
  const worker = async () => {
    while (next < count && !failed) {
      options.signal.throwIfAborted();
      const index = next++;
      // The server checks Content-Length against the expected chunk length (40013).
      const chunk = file.slice(index * size, Math.min((index + 1) * size, file.size));
      try {
        await withRetry(retry, () => send(index, chunk), options.signal);
      } catch (error) {
        failed = true;
        throw error;
      }
      sent += chunk.size;
      options.onProgress?.({ sent, total: file.size });
    }
  };
  const workers = Array.from({ length: Math.min(Math.max(1, concurrency), count) }, worker);
  const results = await Promise.allSettled(workers);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
