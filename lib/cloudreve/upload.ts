/**
 * Uploads a finished archive without ever overwriting, through an upload session for
 * every size: creating the session is the atomic claim of the name. The server locks the
 * path and creates a placeholder in one transaction (BE pkg/filemanager/fs/dbfs/upload.go
 * `PrepareUpload`: `acquireByPath`, then `Create` with `WithErrorOnConflict`); a second
 * claimer gets 40004 (the placeholder exists and no `entity_type` was sent) or 40073 (the
 * path is locked). `PUT /file/content` is never used: it creates the file *or a new version
 * of it* (BE service/explorer/file.go `PutContent` → manager `Update` with a version entity),
 * so a check before it leaves a window in which two browsers overwrite each other.
 * Never sends `entity_type: "version"`. Resumable: what it records through `onResumeState`
 * lets a later call continue the session, sending only the chunks the server has not
 * acknowledged (lib/cloudreve/upload-resume.ts).
 */
import type { ResumeState, UploadProgress } from '../archive/types';
import { AppError, CloudreveError, isAppError } from '../errors';
import { envelopeError, fetchOrNetworkError, type CloudreveClient } from './client';
import { getInfo } from './files';
import type { RetryPolicy } from './retry';
import { Code, type FileResponse, type Response as Envelope, type UploadSessionResponse } from './types';
import { sendChunks, type ChunkSender } from './upload-chunks';
import { uploadOneDrive } from './upload-onedrive';
import {
  ensureStorageAccess,
  providerFamily,
  providerSession,
  type ProviderFamily,
  type ProviderUploadContext,
  type StorageAccess,
} from './upload-provider';
import { uploadQiniu } from './upload-qiniu';
import {
  canContinue,
  judgeTarget,
  readResumeState,
  type CloudreveResumeState,
  type ProviderSession,
  type SessionRecord,
  UPLOAD_SESSION_METADATA,
} from './upload-resume';
import { uploadS3Like } from './upload-s3-like';
import { uploadUpyun } from './upload-upyun';

export interface UploadOptions {
  client: CloudreveClient;
  /** Full URI of the file to create. */
  uri: string;
  file: Blob;
  signal: AbortSignal;
  onProgress?: (progress: UploadProgress) => void;
  /** Parallel chunks; default the policy's `chunk_concurrency` clamped to 1..3. */
  chunkConcurrency?: number;
  retry?: RetryPolicy;
  lastModified?: number;
  /** What an interrupted earlier call for the same file and URI recorded. */
  resume?: ResumeState;
  /** Persists a `CloudreveResumeState`; awaited before the step it describes. */
  onResumeState?: (state: ResumeState) => Promise<void>;
  now?: () => number;
  /** Access to a storage provider's origin (lib/cloudreve/upload-provider.ts); absent = not needed (Node). */
  storageAccess?: StorageAccess;
  /** Told the storage origin the upload waits for access to, then undefined once it goes on. */
  onWaiting?: (origin: string | undefined) => Promise<void>;
}

/** Uploads `file` to `uri`, rejecting with 'destination-exists' rather than overwrite. */
export async function uploadFile(options: UploadOptions): Promise<FileResponse> {
  const { client, uri, file, signal } = options;
  const total = file.size;
  const prior = readResumeState(options.resume, uri, total);
  if (prior && (await resumeUpload(options, prior)) === 'stored') {
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

function existsError(uri: string, details: Record<string, unknown> = {}): CloudreveError {
  return new CloudreveError(
    'destination-exists',
    Code.ObjectExist,
    `A file already exists at ${uri}`,
    undefined,
    details,
  );
}

/**
 * Continues what `prior` recorded: the missing chunks of a live session, else a verdict
 * on what is at the URI now. 'stored' when the file there is this upload's, finished;
 * 'start-over' when the name is free again; rejects with 'destination-exists' when the
 * file there is someone else's.
 */
async function resumeUpload(options: UploadOptions, prior: CloudreveResumeState): Promise<'stored' | 'start-over'> {
  const { client, uri, signal } = options;
  const { session } = prior;
  const now = options.now ?? Date.now;
  if (session && canContinue(session, now())) {
    try {
      if (session.provider) await uploadToProvider(options, prior, { ...session, provider: session.provider });
      else await sendSessionChunks(options, prior, session, serverChunkSender(client, session.id, signal));
      return 'stored';
    } catch (error) {
      if (!isSessionGone(error)) {
        await cancelSession(client, session.id, uri);
        throw error;
      }
      // 40011: the session expired, or completed before the kill lost the last acknowledgements.
    }
  }
  switch (judgeTarget(await infoOrNull(client, uri, signal), prior)) {
    case 'ours':
      return 'stored';
    case 'our-placeholder':
      // A session that cannot take more chunks: remove its placeholder, then upload anew to the same name.
      await cancelSession(client, session!.id, uri);
      return 'start-over';
    case 'free':
      return 'start-over';
    case 'taken':
      throw existsError(uri);
  }
}

/**
 * Cancels the session an interrupted upload recorded, which removes its placeholder (BE `dbfs/upload.go`).
 * Any answer of the server ends it (a session already gone has nothing left to remove); no answer
 * rejects, so the job keeps the session for a later try.
 */
export async function discardUpload(client: CloudreveClient, resume: ResumeState, signal?: AbortSignal): Promise<void> {
  const state = resume.kind === 'cloudreve' ? (resume as CloudreveResumeState) : undefined;
  if (!state?.session) return;
  await client
    .request('DELETE', '/file/upload', { body: { id: state.session.id, uri: state.uri }, signal })
    .catch((error: unknown) => {
      if (!(error instanceof CloudreveError)) throw error;
    });
}

function isSessionGone(error: unknown): boolean {
  return error instanceof CloudreveError && error.serverCode === Code.UploadSessionExpired;
}

/** Best effort, and not tied to the (maybe aborted) job signal (docs/cloudreve-api.md#upload-sessions). */
async function cancelSession(client: CloudreveClient, id: string, uri: string): Promise<void> {
  await client.request('DELETE', '/file/upload', { body: { id, uri } }).catch(() => {});
}

/** `POST /file/upload/{id}/{index}`: local policy, or any policy with relay on. */
function serverChunkSender(client: CloudreveClient, sessionId: string, signal: AbortSignal): ChunkSender {
  return async (index, chunk) => {
    await client.request('POST', `/file/upload/${encodeURIComponent(sessionId)}/${index}`, {
      body: chunk,
      headers: { 'Content-Type': 'application/octet-stream' },
      signal,
    });
    return undefined;
  };
}

/** One uploader per provider family (as FE `core/index.ts` picks one per policy type). */
const PROVIDER_UPLOADS: Record<ProviderFamily, (ctx: ProviderUploadContext) => Promise<void>> = {
  's3-like': uploadS3Like,
  onedrive: uploadOneDrive,
  qiniu: uploadQiniu,
  upyun: uploadUpyun,
};

/** Sends the archive to the storage provider of `session`, once the extension may reach it. */
async function uploadToProvider(
  options: UploadOptions,
  state: CloudreveResumeState,
  session: SessionRecord & { provider: ProviderSession },
): Promise<void> {
  const family = providerFamily(session.provider.policyType)!;
  await ensureStorageAccess(session.provider, options.signal, {
    access: options.storageAccess,
    onWaiting: options.onWaiting,
  });
  await PROVIDER_UPLOADS[family]({
    client: options.client,
    file: options.file,
    signal: options.signal,
    session,
    uri: options.uri,
    retry: options.retry,
    onProgress: options.onProgress,
    record: (next) => options.onResumeState?.({ ...state, session: next }) ?? Promise.resolve(),
  });
}

/**
 * `PUT /file/upload`: claims the name, or rejects with 'destination-exists' when another upload or file holds it.
 *
 * The claim is the one request of a job that is not idempotent. When an attempt got no answer
 * (the connection broke after the request may have reached the server) and the retry finds an
 * upload placeholder at the name, that placeholder may be the one our lost attempt created. Nothing
 * the server shows tells it from another browser's claim made at the same moment: the placeholder
 * carries only the session id the server chose (`sys:upload_session_id`, BE dbfs/upload.go
 * `PrepareUpload`), and what the request itself carried (`metadata`) is applied only when the
 * upload completes (BE dbfs/upload.go `CompleteUpload`). So it is never continued nor deleted: the
 * error says `unprovenPlaceholder`, the job takes the next free name and reports the placeholder
 * it may have left (lib/jobs/resumable-upload.ts).
 */
async function createSession(options: UploadOptions): Promise<UploadSessionResponse> {
  const { client, uri, file, signal } = options;
  let unanswered = false;
  try {
    return await client.request<UploadSessionResponse>('PUT', '/file/upload', {
      body: {
        uri,
        size: file.size,
        last_modified: options.lastModified ?? Date.now(),
        mime_type: file.type || 'application/zip',
      },
      signal,
      onUnanswered: () => void (unanswered = true),
    });
  } catch (error) {
    // 40073: another session holds the path's lock (BE dbfs/upload.go `PrepareUpload` → `acquireByPath`).
    const taken =
      error instanceof CloudreveError &&
      (error.serverCode === Code.LockConflict || error.serverCode === Code.ObjectExist);
    if (!taken) throw error;
    if (unanswered && isUploadPlaceholder(await infoOrNull(client, uri, signal)))
      throw existsError(uri, { unprovenPlaceholder: true });
    throw existsError(uri);
  }
}

/** A file still waiting for the chunks of an upload session (its size is 0 until then). */
function isUploadPlaceholder(info: FileResponse | null): boolean {
  return Boolean(info?.metadata?.[UPLOAD_SESSION_METADATA]);
}

async function uploadWithSession(options: UploadOptions): Promise<void> {
  const { client, uri, file, signal } = options;
  const response = await createSession(options);
  let state: CloudreveResumeState | undefined;
  try {
    const policy = response.storage_policy;
    const relayed = policy.type === 'local' || Boolean(policy.relay);
    let send: ChunkSender | undefined;
    if (relayed) {
      send = serverChunkSender(client, response.session_id, signal);
    } else if (policy.type === 'remote' && response.upload_urls?.[0]) {
      send = async (index, chunk) => (await sendRemoteChunk(client, response, index, chunk, signal), undefined);
    } else if (!providerFamily(policy.type)) {
      throw new AppError(
        'unsupported-policy',
        `The storage policy "${policy.name}" (${policy.type}) needs a provider upload this extension cannot do. ` +
          'Use WebDAV as the destination or "save to this computer" instead.',
        { policyType: policy.type },
      );
    }
    const session: SessionRecord = {
      id: response.session_id,
      chunkSize: response.chunk_size,
      expires: response.expires * 1000,
      concurrency: options.chunkConcurrency ?? Math.min(Math.max(policy.chunk_concurrency ?? 1, 1), 3),
      relayed,
      done: [],
    };
    state = { kind: 'cloudreve', uri, size: file.size, session };
    if (send) {
      await options.onResumeState?.(state);
      await sendSessionChunks(options, state, session, send);
    } else {
      const provider = providerSession(response);
      await options.onResumeState?.({ ...state, session: { ...session, provider } });
      await uploadToProvider(options, state, { ...session, provider });
    }
  } catch (error) {
    // 40011 on a chunk of the session just made: the server completed the file and the answer to the
    // last chunk was lost (a reset, a cut answer), so its retry met a finished session. What is at the
    // URI decides, as on resume: our session held the name until then (BE dbfs/upload.go).
    if (state && isSessionGone(error) && judgeTarget(await infoOrNull(client, uri, signal), state) === 'ours') return;
    await cancelSession(client, response.session_id, uri);
    throw error;
  }
}

/** The file at `uri`, or null when there is none. */
async function infoOrNull(client: CloudreveClient, uri: string, signal: AbortSignal): Promise<FileResponse | null> {
  return getInfo(client, uri, signal).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not-found') return null;
    throw error;
  });
}

/** Sends the chunks `session` has not had acknowledged, recording each acknowledgement. */
async function sendSessionChunks(
  options: UploadOptions,
  state: CloudreveResumeState,
  session: SessionRecord,
  send: ChunkSender,
): Promise<void> {
  const done = [...session.done];
  await sendChunks(options.file, session, options, send, async (index) => {
    done.push(index);
    done.sort((a, b) => a - b);
    await options.onResumeState?.({ ...state, session: { ...session, done: [...done] } });
  });
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
    throw new AppError('server-error', `Storage node answered HTTP ${response.status}`, { status: response.status });
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
