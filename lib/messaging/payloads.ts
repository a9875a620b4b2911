/** The data that commands and port messages carry between pages and the worker. */
import type { ErrorCode, SerializedError } from '../errors';
import type { DestinationFacts } from '../jobs/preflight';
import type { ArchiveMode, CompressionChoice, Destination, ServerTask, SplitSize } from '../jobs/types';
import type { LengthRange } from '../zip/length-range';

/** What a page asks for when it wants an archive (the dialog's answer). */
export interface ArchiveRequest {
  serverId: string;
  /** cloudreve:// URIs (Cloudreve) or paths relative to the DAV base (WebDAV). */
  sources: string[];
  /** Archive file name, ending in .zip. */
  name: string;
  destination: Destination;
  mode: ArchiveMode;
  compression?: CompressionChoice;
  /** Cloudreve Pro only: the node the user picked. */
  preferredNodeId?: string;
  /**
   * The page's dialog: the user chose this destination instead of the folder the page shows, so it
   * is prefilled next time on this server; otherwise next time starts in the folder shown then.
   */
  destinationChosen?: boolean;
  /** Split into independent zips of at most this size each; always made in the browser. */
  split?: SplitSize;
  /** The dialog's finished preview of these sources: a job in the browser takes its listing instead of walking again. */
  previewId?: string;
  /**
   * Read the sources without any token: a share link's visitor who is not signed in on the server
   * (only share URIs, saved to this computer). The worker sets it from the page's session; a page's
   * own value is never used.
   */
  anonymous?: boolean;
}

/** A preview of the selection (lib/service/previews.ts), as the dialog polls it. */
export interface PreviewStatus {
  previewId: string;
  state: 'listing' | 'done' | 'failed' | 'cancelled';
  files: number;
  folders: number;
  /** Bytes of the files. */
  bytes: number;
  /** Items that could not be read (left out, as the job would). */
  skipped: number;
  /** When done: the archive's size range for each compression mode (the server task deflates every file). */
  sizes?: Record<'store' | 'auto' | 'deflate', LengthRange>;
  error?: SerializedError;
}

/** How a split archive of a finished preview would be cut (lib/service/previews.ts `parts`). */
export interface PartsPreview {
  /** Parts the archive would have. */
  count: number;
  /** Files larger than a part on their own (each gets a part of its own), the first few named. */
  oversized: { name: string; size: number }[];
  oversizedCount: number;
}

/** What the checks before Start need to know about a destination folder and this machine. */
export interface PreflightFacts extends DestinationFacts {
  /** Median bytes/s of this machine's earlier jobs per route; absent: no estimate yet. */
  speeds: { server?: number; browser?: number };
}

/** A folder the destination picker shows: Cloudreve URI, or WebDAV path relative to the account's base. */
export interface FolderItem {
  name: string;
  location: string;
}

export interface ArchiveStarted {
  jobId: string;
  kind: 'server' | 'browser';
  /** Set when Auto mode fell back to the browser, saying why. */
  fallbackReason?: string;
  /** The reason's error code (`lib/errors.ts`): a server's refusal, or a fact such as `split-in-browser`. */
  fallbackCode?: ErrorCode;
}

/** One member of a listed folder; `path` is relative to the account's base collection. */
export interface DavEntry {
  name: string;
  path: string;
  isCollection: boolean;
  size: number;
  /** Milliseconds since the epoch; 0 when the server did not say. */
  modified: number;
}

export interface DavListing {
  /** The listed folder, normalised ('' is the base collection). */
  path: string;
  entries: DavEntry[];
}

/** What one polling round found. */
export interface FeedUpdate {
  tasks: ServerTask[];
  /** Servers whose list has more pages than were fetched. */
  more: string[];
  /** Servers whose list could not be read this round, with why. */
  errors: { serverId: string; error: SerializedError }[];
}
