/**
 * Spool in the Origin Private File System. In the MV3 service worker only the
 * async `createWritable()` exists (`createSyncAccessHandle` is for dedicated
 * workers: docs/browser-platform.md#opfs), and a writable's data reaches the file only on
 * `close()`; reopening with `keepExistingData` copies the file. So each
 * checkpoint closes a segment and starts a new file instead of reopening one.
 * Where a dedicated worker can be reached (`connect`: through the offscreen
 * document in Chromium), segments are written by it through a sync access
 * handle instead (lib/spool/sync-host.ts), ≈2× faster; anything that fails
 * while reaching it falls back to `createWritable()`.
 */
import { concatBytes } from '../bytes';
import { AppError } from '../errors';
import { createPortCaller, openPortSegment } from './port-segment';
import type { SegmentWriter, Spool } from './types';

/** A fresh MessagePort to a spool worker (lib/spool/sync-host.ts), or undefined where there is none. */
export type SpoolWorkerConnect = () => Promise<MessagePort | undefined>;

/**
 * Firefox sends no byte of a request whose body is a Blob made of several OPFS files once it holds
 * about 1 GiB, while a single OPFS file of 2 GiB goes at disk speed
 * (docs/browser-platform.md#firefox-uploads-of-a-blob-of-several-files). There the segments are
 * first copied into this one file of the spool folder; `prune` and `remove` take it away with the rest.
 */
export const UPLOAD_FILE_NAME = 'upload-body';
const UPLOAD_NEEDS_ONE_FILE = Boolean(import.meta.env.FIREFOX);

/** Writes are batched to this size: fewer, larger `write()` calls are much faster. */
const WRITE_BATCH = 4 * 1024 * 1024;

export async function createOpfsSpool(jobId: string, connect?: SpoolWorkerConnect): Promise<Spool> {
  const root = await navigator.storage.getDirectory();
  const spools = await root.getDirectoryHandle('spool', { create: true });
  const dir = await spools.getDirectoryHandle(jobId, { create: true });

  /** A port to the spool worker, or undefined when none can be reached (then the writable is used). */
  async function reach(): Promise<MessagePort | undefined> {
    return connect?.().catch(() => undefined);
  }

  /** Closes handles a killed service worker left open in the spool worker: their locks would block removal. */
  async function releaseStale(): Promise<void> {
    const port = await reach();
    if (!port) return;
    const worker = createPortCaller(port);
    await worker.call({ type: 'release', jobId }).finally(() => worker.close());
  }

  return {
    async openSegment(name) {
      const port = await reach();
      if (port) return openPortSegment(port, jobId, name);
      const handle = await dir.getFileHandle(name, { create: true });
      return createSegmentWriter(await handle.createWritable({ keepExistingData: false }));
    },
    async blob(segments) {
      const files = await Promise.all(segments.map(async ({ name }) => (await dir.getFileHandle(name)).getFile()));
      files.forEach((file, i) => {
        const expected = segments[i]!;
        if (file.size !== expected.size) {
          throw new AppError(
            'internal',
            `Spool segment ${expected.name} has ${file.size} bytes, expected ${expected.size}`,
          );
        }
      });
      if (!UPLOAD_NEEDS_ONE_FILE || files.length < 2) return new Blob(files, { type: 'application/zip' });
      return new Blob([await joinSegments(dir, files)], { type: 'application/zip' });
    },
    async prune(keep) {
      await releaseStale();
      // TypeScript's DOM lib lacks the async iterators of FileSystemDirectoryHandle.
      for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) {
        if (!keep.includes(name)) await dir.removeEntry(name, { recursive: true });
      }
    },
    async remove() {
      await releaseStale().catch(() => undefined);
      await spools.removeEntry(jobId, { recursive: true }).catch(() => undefined);
    },
    async available() {
      const { quota, usage } = await navigator.storage.estimate();
      return quota === undefined ? undefined : quota - (usage ?? 0);
    },
  };
}

/** Copies the segment files, in order, into the spool's one upload file and returns it. */
async function joinSegments(dir: FileSystemDirectoryHandle, files: File[]): Promise<File> {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const { quota, usage } = await navigator.storage.estimate();
  if (quota !== undefined && quota - (usage ?? 0) < total) {
    throw new AppError('quota-exceeded', 'Not enough browser storage to copy the archive into one file for upload', {
      needed: total,
      available: quota - (usage ?? 0),
    });
  }
  const handle = await dir.getFileHandle(UPLOAD_FILE_NAME, { create: true });
  // The data reaches the file only on close(): a copy cut short leaves the previous file or none.
  const writable = await handle.createWritable({ keepExistingData: false });
  try {
    for (const file of files) await file.stream().pipeTo(writable, { preventClose: true });
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => undefined);
    await dir.removeEntry(UPLOAD_FILE_NAME).catch(() => undefined);
    throw error;
  }
  const joined = await handle.getFile();
  if (joined.size !== total) {
    throw new AppError('internal', `The upload file has ${joined.size} bytes, expected ${total}`);
  }
  return joined;
}

function createSegmentWriter(writable: FileSystemWritableFileStream): SegmentWriter {
  let size = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  // One batch may be on its way to the browser process while the next fills:
  // a write is an IPC round trip, and overlapping it with zipping measured
  // ≈1.5× faster store archives in Chromium (bench/browser-zip.ts).
  let inFlight: Promise<void> = Promise.resolve();

  async function flush() {
    if (pendingBytes === 0) return;
    const batch = concatBytes(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await inFlight;
    inFlight = writable.write(batch as Uint8Array<ArrayBuffer>);
    // Reported at the next flush or commit; never left unhandled meanwhile.
    inFlight.catch(() => undefined);
  }

  return {
    get size() {
      return size;
    },
    async write(chunk) {
      size += chunk.byteLength;
      // Kept without a copy: the zip writer never reuses a chunk it handed to a sink (lib/zip/output.ts).
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      if (pendingBytes >= WRITE_BATCH) await flush();
    },
    async commit() {
      await flush();
      await inFlight;
      await writable.close();
      return size;
    },
    async abort() {
      pending = [];
      await inFlight.catch(() => undefined);
      await writable.abort().catch(() => undefined);
    },
  };
}

/** Names of every job spool in OPFS (one folder per job id). */
export async function listOpfsSpools(): Promise<string[]> {
  const root = await navigator.storage.getDirectory();
  const spools = await root.getDirectoryHandle('spool', { create: true });
  const names: string[] = [];
  for await (const name of (spools as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
  return names;
}

/** Removes the spools named; one that is already gone is fine. */
export async function removeOpfsSpools(names: readonly string[]): Promise<void> {
  const root = await navigator.storage.getDirectory();
  const spools = await root.getDirectoryHandle('spool', { create: true });
  for (const name of names) await spools.removeEntry(name, { recursive: true }).catch(() => undefined);
}
