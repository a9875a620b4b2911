/**
 * The seams of the in-browser archive engine: a source lists and reads what was
 * selected (Cloudreve REST or WebDAV), the zip writer turns entries into bytes,
 * a destination stores the finished archive without overwriting anything.
 */
import type { UnreadableItem } from './unreadable';

/** One entry of the archive-to-be, as a source found it. */
export interface SourceEntry {
  /** Path inside the zip: relative, '/'-separated, no leading '/', no '..' (made safe by lib/zip/names.ts). */
  name: string;
  kind: 'file' | 'folder';
  /** Bytes; 0 for folders. */
  size: number;
  /** Last modification, milliseconds since the epoch. */
  modified: number;
  /** Opaque handle the same source needs to read the entry (a cloudreve:// URI, a WebDAV path). */
  ref: string;
}

/** Reports an item the source skips because it cannot be read (lib/archive/unreadable.ts). */
export type OnUnreadable = (item: UnreadableItem) => void;

export interface ArchiveSource {
  /**
   * Walks the selection depth-first; folders come before their contents. With
   * `onUnreadable`, a folder that cannot be listed is reported there and left out
   * instead of failing the walk.
   */
  list(signal: AbortSignal, onUnreadable?: OnUnreadable): AsyncIterable<SourceEntry>;
  /**
   * Opens the entry's bytes starting at `offset` (for resuming a broken download).
   * Returns null when the file vanished since listing: the job skips and counts it.
   */
  open(entry: SourceEntry, offset: number, signal: AbortSignal): Promise<ReadableStream<Uint8Array> | null>;
}

export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * What a destination records about an upload under way, so that a job restarted by a new
 * service worker continues it instead of starting over (INTERNALS.md "Resume model").
 * Plain JSON, persisted with the job as it is; only the destination that wrote it reads
 * it back, and only when `kind` is its own.
 */
export interface ResumeState {
  kind: string;
  [field: string]: unknown;
}

export interface StoreOptions {
  signal: AbortSignal;
  onProgress?: (progress: UploadProgress) => void;
  /** What an interrupted earlier run of this same upload (same file, same name) recorded. */
  resume?: ResumeState;
  /**
   * Persists `state` with the job. The destination awaits it before the step the state
   * describes, so a killed worker never leaves on the server what the job does not know of.
   */
  onResumeState?: (state: ResumeState) => Promise<void>;
  /**
   * Told the origin the upload is paused for (the user must allow the extension to send
   * there, e.g. a storage bucket), then `undefined` when it goes on. Persisted with the job.
   */
  onWaiting?: (origin: string | undefined) => Promise<void>;
}

/** Where the finished archive goes. Implementations never overwrite an existing file. */
export interface ArchiveDestination {
  /** Human-readable place, e.g. "cloudreve://my/Docs" or "https://dav.example/Docs/". */
  readonly label: string;
  /** A name in the destination folder that does not exist yet: `name`, else `name (1).zip`, … */
  freeName(name: string, signal: AbortSignal): Promise<string>;
  /**
   * Stores `file` as `name`; rejects with code 'destination-exists' rather than overwrite.
   * With `resume`, a file at `name` that the state proves to be this upload's counts as
   * stored (the worker died after the upload finished); any other file there is not ours.
   */
  store(file: Blob, name: string, options: StoreOptions): Promise<{ name: string; size: number }>;
  /**
   * Undoes what an interrupted upload left on the server (an upload session and its
   * placeholder, a temporary file), for a job cancelled while no worker runs it.
   * Best effort; never touches a file the state does not prove to be this upload's.
   */
  discard?(resume: ResumeState, signal: AbortSignal): Promise<void>;
  /**
   * The largest file the destination takes, when it says (a Cloudreve storage policy's
   * `max_size`); undefined when unlimited or unknown. Lets a job fail before zipping, or as
   * soon as the archive grows past it, instead of after the whole archive was made.
   */
  maxFileSize?(signal: AbortSignal): Promise<number | undefined>;
}
