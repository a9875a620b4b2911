/**
 * What a Cloudreve upload records so that a job restarted by a new service worker
 * continues it, and how that record judges the file found at the target afterwards.
 *
 * Server facts it relies on (BE pkg/filemanager/fs/dbfs/upload.go `PrepareUpload`,
 * `CompleteUpload`, `CancelUploadSession`; pkg/filemanager/manager/upload.go;
 * service/explorer/upload.go `LocalUpload`, `processChunkUpload`):
 * - creating a session at once creates a placeholder file at the URI: size 0, metadata
 *   `sys:upload_session_id` = the session id, the path locked until the session expires;
 * - every chunk is written at its offset (re-sending one is harmless) and the upload
 *   completes when the last missing index arrives: the file gets its size and loses the
 *   metadata; the session is then gone;
 * - a chunk for a session that expired or completed answers 40011;
 * - an expired session's placeholder stays (nothing collects it on local storage), and
 *   blocks the name (40004); `DELETE /file/upload {id, uri}` still removes it, and only
 *   when the file at `uri` carries that session id.
 */
import type { ResumeState } from '../archive/types';
import { FileType, type FileResponse } from './types';

/** Metadata of a file still being uploaded (BE dbfs/file.go `MetadataUploadSessionID`; docs "metadata"). */
export const UPLOAD_SESSION_METADATA = 'sys:upload_session_id';

/** A session this close to its expiry is not worth continuing: chunks would meet 40011 halfway. */
export const SESSION_MARGIN_MS = 60_000;

export interface SessionRecord {
  id: string;
  /** Bytes per chunk; 0 = the whole file in one chunk. */
  chunkSize: number;
  /** Milliseconds since the epoch (the server answers Unix seconds). */
  expires: number;
  concurrency: number;
  /**
   * Chunks go to Cloudreve itself (local policy or relay). Chunks for a storage node need the
   * session credential, which is never persisted: such a session is cancelled, not continued.
   */
  relayed: boolean;
  /** Chunk indexes the server acknowledged, ascending. */
  done: number[];
  /** Set when the parts go straight to the storage provider (lib/cloudreve/upload-provider.ts). */
  provider?: ProviderSession;
}

/**
 * What a provider upload needs to continue on the same session after a killed worker.
 * The URLs are presigned for this one object and upload and die with the session; they stay
 * in the job record (extension storage), like the session id. Never the Cloudreve token.
 */
export interface ProviderSession {
  /** The policy type as Cloudreve names it (`s3`, `oss`, `cos`, `obs`, `ks3`, `onedrive`, `qiniu`, `upyun`). */
  policyType: string;
  uploadUrls: string[];
  completeUrl?: string;
  /** Qiniu upload token, Upyun form signature: storage credentials, never Cloudreve's. */
  credential?: string;
  /** Upyun form policy. */
  uploadPolicy?: string;
  callbackSecret?: string;
  mimeType?: string;
  /** Receipt (ETag) of each acknowledged part, by chunk index. */
  etags: Record<number, string>;
  /** The provider accepted the completion request: only Cloudreve's callback may be left. */
  completed?: boolean;
}

export interface CloudreveResumeState extends ResumeState {
  kind: 'cloudreve';
  uri: string;
  size: number;
  /** Set once the session exists; absent, the upload is a single `PUT /file/content` that was sent. */
  session?: SessionRecord;
}

/** The state when it belongs to an upload of `size` bytes to `uri`, else undefined. */
export function readResumeState(
  state: ResumeState | undefined,
  uri: string,
  size: number,
): CloudreveResumeState | undefined {
  if (state?.kind !== 'cloudreve' || state.uri !== uri || state.size !== size) return undefined;
  return state as CloudreveResumeState;
}

/** Whether chunks can still go to the recorded session. */
export function canContinue(session: SessionRecord, now: number): boolean {
  return (session.relayed || Boolean(session.provider)) && session.expires - now > SESSION_MARGIN_MS;
}

/**
 * - `ours`: a finished file of exactly our size where our own session or PUT held the name;
 * - `our-placeholder`: the placeholder of our recorded session, still waiting for chunks;
 * - `free`: nothing there;
 * - `taken`: someone else's file (or an upload of someone else's) — never overwrite it.
 */
export type TargetVerdict = 'ours' | 'our-placeholder' | 'free' | 'taken';

/** What the file at the upload's URI is, judged by what this upload recorded. */
export function judgeTarget(info: FileResponse | null, state: CloudreveResumeState): TargetVerdict {
  if (!info) return 'free';
  const uploading = info.metadata?.[UPLOAD_SESSION_METADATA];
  if (uploading) return uploading === state.session?.id ? 'our-placeholder' : 'taken';
  return info.type === FileType.file && info.size === state.size ? 'ours' : 'taken';
}
