/**
 * Feeds listed entries from a source into the zip writer, in order, while the
 * next small files are already being downloaded and compressed (read-ahead).
 * Large files stream straight through the writer, so memory stays bounded by
 * the read-ahead budget (plus the one file that crosses it) and one chunk of a
 * large file, whatever the size of the archive.
 */
import { firstBytes, peekBytes, readChunks } from '../bytes';
import { AppError, isAppError } from '../errors';
import { readAhead } from './read-ahead';
import { childSignal, openScoped } from './scoped-open';
import type { Deflater } from '../zip/deflate';
import { chooseMethod, PROBE_BYTES, probedMethod, worthProbing, type CompressionPolicy } from '../zip/method';
import { prepareData, readWhole } from '../zip/prepare';
import type { ZipMethod } from '../zip/records';
import type { EntryCheckpoint, PreparedData, ZipWriter } from '../zip/writer';
import { changedError } from './file-version';
import type { ArchiveSource, SourceEntry } from './types';
import { isUnreadable, unreadableItem, type UnreadableItem } from './unreadable';

/**
 * Which files are read whole ahead of the writer; the others stream through it.
 * Reading ahead hides request latency for small files; compressing ahead uses
 * the deflater's parallelism, which pays for larger files too: 8 MiB covers
 * photos and most documents and lets two compress at once within the budget
 * (bench "deflate all", a run of 8 MiB files). A large stored file gains
 * nothing from being held whole.
 */
const READ_AHEAD_MAX_SIZE = { store: 4 * 1024 * 1024, deflate: 8 * 1024 * 1024 };
/**
 * Files read ahead at most: enough requests in flight to hide their latency and
 * keep every core compressing. Over HTTP/1.1 a browser opens at most 6
 * connections per host and queues the rest (they hold no memory until
 * answered); over HTTP/2 they all go out at once on one connection. Memory is
 * bounded by READ_AHEAD_BYTES, not by this count.
 */
const READ_AHEAD_ITEMS = 64;
/** Bytes of small files held in memory at once (uncompressed, plus their compressed copies). */
const READ_AHEAD_BYTES = 32 * 1024 * 1024;
/**
 * Reads of one file that found it changed, before it counts as "changed while
 * being archived" and is skipped: a log file written to all the time never
 * holds still, and each read costs its full download.
 */
export const MAX_READS_OF_CHANGING_FILE = 3;

/**
 * A file failed after its first bytes went into the writer: only a rewind to
 * the last checkpoint can take them out (lib/jobs/browser-archive.ts). `cause` is
 * 'source-changed' (read it again) or another error `isUnreadable` accepts.
 */
export class EntryInterrupted extends Error {
  override name = 'EntryInterrupted';
  constructor(
    readonly entry: SourceEntry,
    override readonly cause: unknown,
  ) {
    super(`${entry.name}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** A read that found more bytes than expected is a file that grew: say so, with the sizes known. */
function asChange(error: unknown, entry: SourceEntry): unknown {
  if (!isAppError(error) || error.code !== 'size-mismatch') return error;
  const actual = typeof error.details.actual === 'number' ? error.details.actual : undefined;
  return changedError(entry, `listed with ${entry.size} bytes, ${actual ?? 'more'} bytes read`, actual);
}

/** The size a 'source-changed' error found the file to have now, if any. */
function sizeNow(error: unknown): number | undefined {
  if (!isAppError(error) || error.code !== 'source-changed') return undefined;
  const actual = error.details.actual;
  return typeof actual === 'number' ? actual : undefined;
}

export interface ZipEntriesOptions {
  writer: ZipWriter;
  /** Opens an entry's bytes from the start (ArchiveSource.open); null when the file vanished. */
  open: ArchiveSource['open'];
  policy: CompressionPolicy;
  deflater: Deflater;
  signal: AbortSignal;
  /** Bytes of file data read so far, as they come (progress). */
  onBytes?: (bytes: number) => void;
  /** Entries already known to be unreadable (an earlier pass skipped them): not read again. */
  isSkipped?: (entry: SourceEntry) => boolean;
  /**
   * A file that cannot be read (vanished, refused, kept changing) before any of
   * its bytes went into the writer; it is skipped. May throw to stop the job instead.
   */
  onUnreadable?: (item: UnreadableItem) => void;
}

/** What became of one entry: its checkpoint, or null when its file was skipped (reported by `onUnreadable`). */
export type WrittenEntry = EntryCheckpoint | null;

/**
 * Writes every entry of `entries` and yields each result right after the
 * entry is in the writer, so the caller can checkpoint between entries.
 */
export async function* zipEntries(
  entries: AsyncIterable<SourceEntry>,
  options: ZipEntriesOptions,
): AsyncGenerator<WrittenEntry> {
  const { writer, policy, deflater, signal } = options;
  // Each file's requests get a signal of their own, detached when its body ends:
  // the job's signal would otherwise collect one listener per file (scoped-open.ts).
  const open = (entry: SourceEntry, aborted: AbortSignal) => openScoped(options.open, entry, 0, aborted);

  /**
   * Opens `entry` from its start. A file found changed before any byte is used
   * is simply opened again at its size now; null when it vanished.
   */
  async function openCurrent(entry: SourceEntry, aborted: AbortSignal, opener = open) {
    let current = entry;
    for (let reads = 1; ; reads++) {
      try {
        const body = await opener(current, aborted);
        return body && { entry: current, body };
      } catch (error) {
        const actual = sizeNow(error);
        if (actual === undefined || reads >= MAX_READS_OF_CHANGING_FILE) throw error;
        current = { ...current, size: actual };
      }
    }
  }

  async function prepare(entry: SourceEntry, method: 'store' | 'deflate', aborted: AbortSignal) {
    // The whole body is read here, so the file's own signal is released when this ends, without
    // the stream openScoped wraps around each body (one more stream and promise per file).
    const scope = childSignal(aborted);
    try {
      return await prepareScoped(entry, method, scope.signal);
    } finally {
      scope.release();
    }
  }

  async function prepareScoped(entry: SourceEntry, method: 'store' | 'deflate', aborted: AbortSignal) {
    const opened = await openCurrent(entry, aborted, (current, signal) => options.open(current, 0, signal));
    if (!opened) return null;
    // A file that grew past the read-ahead size is streamed by the writer instead.
    if (opened.entry.size > READ_AHEAD_MAX_SIZE[method]) {
      await opened.body.cancel();
      throw changedError(entry, `listed with ${entry.size} bytes, now ${opened.entry.size}`, opened.entry.size);
    }
    try {
      const { chunks, size } = await readWhole(opened.body, opened.entry.size, entry.name);
      if (size !== opened.entry.size)
        throw changedError(entry, `${opened.entry.size} bytes expected, ${size} read`, size);
      // Random or encrypted data the name called compressible is stored (lib/zip/method.ts).
      const chosen = worthProbing(method, policy, size)
        ? probedMethod(method, policy, firstBytes(chunks, PROBE_BYTES))
        : method;
      return { size, data: await prepareData(chunks, chosen, policy.level, deflater) };
    } catch (error) {
      throw asChange(error, opened.entry);
    }
  }

  /** Skips `entry` because of `error` when that is the entry's own problem; otherwise rethrows. */
  function skip(entry: SourceEntry, error: unknown): null {
    if (!options.onUnreadable || !isUnreadable(error)) throw error;
    options.onUnreadable(unreadableItem(entry.name, 'file', error));
    return null;
  }

  const methodOf = (entry: SourceEntry) => chooseMethod(entry.name, undefined, policy);
  const queued = readAhead<SourceEntry, { size: number; data: PreparedData } | null>(entries, {
    start: (entry, aborted) => {
      if (entry.kind !== 'file' || options.isSkipped?.(entry)) return undefined;
      const method = methodOf(entry);
      return entry.size <= READ_AHEAD_MAX_SIZE[method] ? prepare(entry, method, aborted) : undefined;
    },
    // The raw bytes and, for deflate, briefly their compressed copy.
    cost: (entry) => (methodOf(entry) === 'deflate' ? entry.size * 2 : entry.size),
    maxItems: READ_AHEAD_ITEMS,
    maxCost: READ_AHEAD_BYTES,
    signal,
  });

  for await (const { item: entry, ready } of queued) {
    signal.throwIfAborted();
    const base = { name: entry.name, kind: entry.kind, modified: entry.modified };
    if (entry.kind === 'folder') {
      yield await writer.addEntry({ ...base, method: 'store', size: 0 });
      continue;
    }
    if (options.isSkipped?.(entry)) {
      yield null;
      continue;
    }
    const method = methodOf(entry);
    let current = entry;
    if (ready) {
      let prepared: { size: number; data: PreparedData } | null | undefined;
      try {
        prepared = await ready;
      } catch (error) {
        // Changed while read ahead: read it again, streamed below, at its size now.
        if (isAppError(error) && error.code === 'source-changed')
          current = { ...entry, size: sizeNow(error) ?? entry.size };
        else prepared = skip(entry, error);
      }
      if (prepared !== undefined) {
        if (!prepared) {
          yield vanished(entry);
          continue;
        }
        const checkpoint = await writer.addPrepared(
          { ...base, method: prepared.data.method, size: prepared.size },
          prepared.data,
        );
        options.onBytes?.(prepared.size);
        yield checkpoint;
        continue;
      }
    }
    let opened: Awaited<ReturnType<typeof openCurrent>>;
    try {
      opened = await openCurrent(current, signal);
    } catch (error) {
      yield skip(entry, error);
      continue;
    }
    if (!opened) {
      yield vanished(entry);
      continue;
    }
    let checkpoint: EntryCheckpoint;
    try {
      // The method is in the local header, so the probe reads the file's start before the entry begins.
      let data: AsyncIterable<Uint8Array> = readChunks(opened.body);
      let chosen: ZipMethod = method;
      if (worthProbing(method, policy, opened.entry.size)) {
        const peeked = await peekBytes(data, PROBE_BYTES);
        data = peeked.all;
        chosen = probedMethod(method, policy, peeked.head);
      }
      // The size it has now: one that grew past 4 GiB gets a ZIP64 local header.
      checkpoint = await writer.addEntry(
        { ...base, method: chosen, size: opened.entry.size },
        counted(data, options.onBytes),
      );
    } catch (error) {
      const cause = asChange(error, opened.entry);
      if (isUnreadable(cause)) throw new EntryInterrupted(entry, cause);
      throw error;
    }
    yield checkpoint;
  }

  /** A file gone since the listing: skipped and reported like the server task's `failed`. */
  function vanished(entry: SourceEntry): null {
    options.onUnreadable?.(
      unreadableItem(entry.name, 'file', new AppError('not-found', 'It is no longer on the server')),
    );
    return null;
  }
}

async function* counted(
  body: AsyncIterable<Uint8Array>,
  onBytes: ((bytes: number) => void) | undefined,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    onBytes?.(chunk.byteLength);
    yield chunk;
  }
}
