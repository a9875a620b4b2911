/** What a page asks for when it wants an archive (the dialog's answer). */
import type { CompressionChoice, Destination } from '../jobs/types';

export type ArchiveMode = 'auto' | 'server' | 'browser';

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
}

export interface ArchiveStarted {
  jobId: string;
  kind: 'server' | 'local';
  /** Set when Auto mode fell back to the browser, saying why. */
  fallbackReason?: string;
}
