/**
 * Feeds listed entries from a source into the zip writer, in order, while the
 * next small files are already being downloaded and compressed (read-ahead).
 * Large files stream straight through the writer, so memory stays bounded by
 * the read-ahead budget (plus the one file that crosses it) and one chunk of a
 * large file, whatever the size of the archive.
 */
import { readChunks } from '../bytes';
import { readAhead } from './read-ahead';
import { openScoped } from './scoped-open';
import type { Deflater } from '../zip/deflate';
import { chooseMethod, type CompressionPolicy } from '../zip/method';
import { prepareData, readWhole } from '../zip/prepare';
import type { EntryCheckpoint, PreparedData, ZipWriter } from '../zip/writer';
import type { ArchiveSource, SourceEntry } from './types';

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
 * Files read ahead at most: enough to hide request latency and keep every core
 * compressing. A browser opens at most 6 connections per HTTP/1.1 host, so the
 * server never sees more than that at once from the extension.
 */
const READ_AHEAD_ITEMS = 16;
/** Bytes of small files held in memory at once (uncompressed, plus their compressed copies). */
const READ_AHEAD_BYTES = 32 * 1024 * 1024;

export interface ZipEntriesOptions {
  writer: ZipWriter;
  /** Opens an entry's bytes from the start (ArchiveSource.open); null when the file vanished. */
  open: ArchiveSource['open'];
  policy: CompressionPolicy;
  deflater: Deflater;
  signal: AbortSignal;
  /** Bytes of file data read so far, as they come (progress). */
  onBytes?: (bytes: number) => void;
}

/** What became of one entry: its checkpoint, or null when its file vanished (skipped, counted by the caller). */
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

  async function prepare(entry: SourceEntry, method: 'store' | 'deflate', aborted: AbortSignal) {
    const body = await open(entry, aborted);
    if (!body) return null;
    const { chunks } = await readWhole(body, entry.size, entry.name);
    return prepareData(chunks, method, policy.level, deflater);
  }

  const methodOf = (entry: SourceEntry) => chooseMethod(entry.name, undefined, policy);
  const queued = readAhead<SourceEntry, PreparedData | null>(entries, {
    start: (entry, aborted) => {
      if (entry.kind !== 'file') return undefined;
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
    const method = methodOf(entry);
    if (ready) {
      const prepared = await ready;
      if (!prepared) {
        yield null;
        continue;
      }
      const checkpoint = await writer.addPrepared({ ...base, method, size: entry.size }, prepared);
      options.onBytes?.(prepared.size);
      yield checkpoint;
      continue;
    }
    const body = await open(entry, signal);
    if (!body) {
      yield null;
      continue;
    }
    yield await writer.addEntry({ ...base, method, size: entry.size }, counted(body, options.onBytes));
  }
}

async function* counted(
  body: ReadableStream<Uint8Array>,
  onBytes: ((bytes: number) => void) | undefined,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of readChunks(body)) {
    onBytes?.(chunk.byteLength);
    yield chunk;
  }
}
