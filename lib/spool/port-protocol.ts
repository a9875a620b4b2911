/**
 * Messages over the MessagePort between a spool segment writer (the service
 * worker, lib/spool/port-segment.ts) and the dedicated worker that owns the
 * segment's file through `createSyncAccessHandle()` (lib/spool/sync-host.ts).
 * Sync access handles exist only in dedicated workers
 * (docs/browser-platform.md#opfs), and an extension service worker cannot
 * start one (docs/browser-platform.md#what-the-service-worker-lacks), so in
 * Chromium the offscreen document hosts the worker and hands it the port.
 */

export type SpoolCall =
  /** Opens (creating, emptying) spool/<jobId>/<name>. */
  | { type: 'open'; jobId: string; name: string }
  /** Appends `chunk`; its buffer was transferred and holds exactly these bytes. */
  | { type: 'write'; chunk: Uint8Array }
  /** Flushes and closes: the segment is durable once answered. */
  | { type: 'commit' }
  /** Empties and closes the segment. */
  | { type: 'abort' }
  /** Closes every handle still open under spool/<jobId> (left by a service worker that was killed). */
  | { type: 'release'; jobId: string };

export type SpoolAnswer =
  | { type: 'done'; size: number }
  /** One 'write' is on disk; its buffer comes back (transferred) to be filled again. */
  | { type: 'written'; chunk: Uint8Array<ArrayBuffer> }
  /** The storage error's name is kept, so lib/jobs/disk-errors.ts still recognizes it. */
  | { type: 'failed'; name: string; message: string };

/** The first message on a fresh port, from whoever hands it to the spool worker. */
export const SPOOL_PORT_PROTOCOL = 'cloudreve-archiver/spool-port';

export interface SpoolPortMessage {
  protocol: typeof SPOOL_PORT_PROTOCOL;
}

export function isSpoolPortMessage(message: unknown): message is SpoolPortMessage {
  return (
    typeof message === 'object' && message !== null && (message as SpoolPortMessage).protocol === SPOOL_PORT_PROTOCOL
  );
}

/**
 * Waits for the worker's first answer on a fresh port, sent as soon as it
 * serves the port; undefined when none comes within `patience` ms (no worker
 * behind it: the caller then writes without one instead of waiting forever).
 */
export function waitForSpoolWorker(port: MessagePort, patience: number): Promise<MessagePort | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      port.close();
      resolve(undefined);
    }, patience);
    port.onmessage = () => {
      clearTimeout(timer);
      port.onmessage = null;
      resolve(port);
    };
  });
}
