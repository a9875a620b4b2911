/**
 * Archive work as the tracker sees it. A browser job runs in the extension
 * (list → zip → upload → verify); a server job follows a Cloudreve
 * `create_archive` task. Both are persisted, so the popup is a pure view and a
 * killed service worker resumes from the last checkpoint.
 */
import type { PlannedPart } from '../archive/part-plan';
import type { ResumeState } from '../archive/types';
import type { UnreadableItem } from '../archive/unreadable';
import type { SerializedError } from '../errors';
import type { NameRewrite } from '../zip/names';

/** Browser job phases, in order; the last three are final (INTERNALS.md, "Job state machine"). */
export type BrowserPhase =
  'queued' | 'listing' | 'zipping' | 'uploading' | 'verifying' | 'done' | 'failed' | 'cancelled';

/** Cloudreve task statuses (docs/cloudreve-api.md#task-statuses-and-phases, BE ent/task/task.go). */
export type ServerStatus = 'queued' | 'processing' | 'suspending' | 'error' | 'canceled' | 'completed';

export const ENDED_PHASES: readonly BrowserPhase[] = ['done', 'failed', 'cancelled'];

/** Which transitions a browser job may take; anything else is a bug. */
export const TRANSITIONS: Record<BrowserPhase, readonly BrowserPhase[]> = {
  // A queued job starts where its persisted data says: listing, zipping (checkpoints) or uploading.
  queued: ['listing', 'zipping', 'uploading', 'failed', 'cancelled'],
  listing: ['zipping', 'failed', 'cancelled'],
  zipping: ['uploading', 'failed', 'cancelled'],
  uploading: ['verifying', 'failed', 'cancelled'],
  // A split archive zips its next part once the last one is uploaded and verified.
  verifying: ['done', 'zipping', 'failed', 'cancelled'],
  done: [],
  failed: ['queued'],
  cancelled: ['queued'],
};

/** Where the user asked the archive to be made; `auto` tries the server first. */
export type ArchiveMode = 'auto' | 'server' | 'browser';

export type Destination =
  { kind: 'cloudreve'; folderUri: string } | { kind: 'webdav'; folder: string } | { kind: 'download' };

export type SourceRoute = 'cloudreve' | 'webdav';

/** Largest size of each part of a split archive in bytes, or the destination's largest file (Cloudreve `max_size`). */
export type SplitSize = number | 'destination-limit';

export interface CompressionChoice {
  mode: 'auto' | 'store' | 'deflate';
  level: number;
}

export interface JobProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Files and folders that vanished or could not be read; skipped like the server task's `failed`. */
  skipped: number;
  /** Bytes per second over the last few seconds; 0 when unknown. */
  speed: number;
  /** Upload progress in bytes while uploading. */
  uploadSent?: number;
  uploadTotal?: number;
  /** Set while the job waits for its server to answer again (epoch ms the wait began). */
  waitingSince?: number;
}

/** Who a job or task belongs to on its server (Cloudreve: `User.id`, and the email to show). */
export interface JobAccount {
  id?: string;
  email: string;
}

interface JobBase {
  id: string;
  serverId: string;
  /**
   * The Cloudreve account the job was made with, kept at creation: only that account's token may
   * act on it. Absent for WebDAV servers (one account per server) and in records made before it
   * was kept (lib/service/job-accounts.ts fills those in once, or they stay "unknown account").
   */
  account?: JobAccount;
  /** Archive file name, e.g. "photos.zip". */
  name: string;
  /** Selected items: cloudreve:// URIs or WebDAV paths. */
  sources: string[];
  destination: Destination;
  createdAt: number;
  updatedAt: number;
  error?: SerializedError & { step?: string };
}

export interface BrowserJob extends JobBase {
  kind: 'browser';
  phase: BrowserPhase;
  route: SourceRoute;
  /**
   * Made for a visitor of a share link who is not signed in on its server: every request goes out
   * without a token (lib/service/connections.ts `anonymous`), the sources are share URIs and the
   * archive is saved to this computer. No account owns it, so any account of the server may act on it.
   */
  anonymous?: true;
  compression: CompressionChoice;
  progress: JobProgress;
  /** Set when listing finished: entries are persisted under this job. */
  listed?: { files: number; folders: number; bytes: number; skipped?: number };
  /** Committed spool segments; the archive is their concatenation. */
  segments: { name: string; size: number }[];
  /** Number of entries whose checkpoint is committed (resume starts here). */
  entriesDone: number;
  /** Final zip length, known once the central directory is written. */
  archiveSize?: number;
  /**
   * The upload under way: the name chosen (and saved) before any byte was sent, so a resumed
   * job continues the same upload instead of picking another free name, and what the
   * destination recorded to continue it (INTERNALS.md "Resume model").
   */
  upload?: { name: string; resume?: ResumeState };
  /**
   * What a cancelled upload left on the server (a WebDAV temporary file, an upload session)
   * whose removal the server could not confirm (away, failing): the queue tries again at each
   * start and after each job until it can (lib/jobs/queue.ts).
   */
  pendingDiscard?: ResumeState;
  /**
   * The upload is paused until the user allows the extension to send to this origin (a
   * storage provider's, see lib/cloudreve/upload-provider.ts); the popup offers the button.
   */
  awaitingAccess?: string;
  /**
   * Names in the destination folder where an empty upload placeholder may be this job's own:
   * the server's answer to the claim of that name was lost, and the placeholder found there
   * cannot be told from another upload's, so it was left alone (lib/cloudreve/upload.ts
   * `createSession`). The user is told; only they can know no other upload runs.
   */
  placeholdersLeft?: string[];
  /** Where the archive ended up (the name may differ from `name` to avoid overwriting); a split archive's first part. */
  result?: { name: string; size: number; location: string };
  /**
   * Split into independent zips of at most `partBytes` each (INTERNALS.md "Split archives"):
   * `plan` is made when listing ends, `done` grows as each part is uploaded and verified;
   * the part being made is `plan[done.length]`, and the spool holds only it.
   */
  split?: { partBytes: SplitSize; plan?: PlannedPart[]; done?: { name: string; size: number }[] };
  /** Fail at the first file or folder that cannot be read instead of skipping it (a setting, off by default). */
  stopOnUnreadable?: boolean;
  /** What was left out because it could not be read, and why; the first MAX_REPORTED (`progress.skipped` counts all). */
  unreadable?: UnreadableItem[];
  /** Entries whose name in the zip is not the server's (lib/zip/names.ts), and why; the first MAX_REPORTED. */
  renamed?: RenamedEntry[];
  /** How many entries were renamed in all. */
  renamedCount?: number;
  /** Server job this one replaces ("run in the browser instead"). */
  fallbackFor?: string;
  fallbackReason?: SerializedError;
}

/** A name the safety rules changed: `path` as listed, `name` as written into the zip. */
export interface RenamedEntry {
  path: string;
  name: string;
  reasons: NameRewrite[];
}

/** Items kept in a job's `unreadable` and `renamed` lists; the record is saved often, so it stays small. */
export const MAX_REPORTED = 1000;

/** A job that follows the Cloudreve task we started; it keeps the task's state as last seen. */
export interface ServerJob
  extends
    JobBase,
    Pick<ServerTask, 'status' | 'phase' | 'nodeName' | 'retryCount' | 'errorHistory' | 'failedFiles' | 'progress'> {
  kind: 'server';
  taskId: string;
  result?: { name: string; location: string };
  /** Auto mode: when the task ends in `error`, the archive is made in the browser instead. */
  autoFallback?: boolean;
  compression?: CompressionChoice;
  /** The browser job that took over after this task failed. */
  replacedBy?: string;
}

export type Job = BrowserJob | ServerJob;

/** What names a browser job and its work; everything else starts empty. */
export type BrowserJobFields = Pick<
  BrowserJob,
  'id' | 'serverId' | 'name' | 'sources' | 'destination' | 'route' | 'compression' | 'createdAt'
>;

/** A browser job that has not started: queued, nothing listed, nothing written. */
export function queuedBrowserJob(fields: BrowserJobFields & Partial<BrowserJob>): BrowserJob {
  return {
    kind: 'browser',
    phase: 'queued',
    updatedAt: fields.createdAt,
    progress: { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, skipped: 0, speed: 0 },
    segments: [],
    entriesDone: 0,
    ...fields,
  };
}

export function hasJobEnded(job: Job): boolean {
  return job.kind === 'browser'
    ? ENDED_PHASES.includes(job.phase)
    : job.status === 'completed' || job.status === 'error' || job.status === 'canceled';
}

/** One Cloudreve `create_archive` task as the popup shows it. */
export interface ServerTask {
  id: string;
  serverId: string;
  /** The account whose task list it came from. */
  account?: JobAccount;
  status: ServerStatus;
  phase?: string;
  nodeName?: string;
  /** Archive file name (last segment of `dst`). */
  name: string;
  sources: string[];
  /** Folder URI the archive goes to. */
  folderUri?: string;
  createdAt: number;
  updatedAt: number;
  error?: string;
  errorHistory?: string[];
  retryCount?: number;
  failedFiles?: number;
  /** `archive_count`/`archive_size` totals stay 0 on the master node: indeterminate. */
  progress?: { key: string; current: number; total: number };
}
