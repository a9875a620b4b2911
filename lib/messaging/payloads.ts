/** The data that commands and port messages carry between pages and the worker. */
import type { SerializedError } from '../errors';
import type { ArchiveMode, CompressionChoice, Destination, ServerTask, SplitSize } from '../jobs/types';

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
  /** Split into independent zips of at most this size each; always made in the browser. */
  split?: SplitSize;
}

export interface ArchiveStarted {
  jobId: string;
  kind: 'server' | 'browser';
  /** Set when Auto mode fell back to the browser, saying why. */
  fallbackReason?: string;
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
