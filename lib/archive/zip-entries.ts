/**
 * Feeds listed entries from a source into the zip writer, in order, while the
 * next small files are already being downloaded and compressed (read-ahead).
 * Large files stream straight through the writer, so memory stays bounded by
 * the read-ahead budget plus one chunk of a large file, whatever the archive.
 */
import { readChunks } from '../bytes';
import { readAhead } from '../jobs/read-ahead';
import type { Deflater } from '../zip/deflate';
import { chooseMethod, type CompressionPolicy } from '../zip/method';
import { prepareData, readWhole } from '../zip/prepare';
import type { EntryCheckpoint, PreparedData, ZipWriter } from '../zip/writer';
import type { ArchiveSource, SourceEntry } from './types';

/** Files up to this size are read whole and compressed ahead; larger ones stream. */
const PREPARE_MAX_SIZE = 4 * 1024 * 1024;
/** Small files in flight at once: enough to hide request latency, few enough to be polite to the server. */
const READ_AHEAD_ITEMS = 8;
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

  async function prepare(entry: SourceEntry, method: 'store' | 'deflate', aborted: AbortSignal) {
    const body = await options.open(entry, 0, aborted);
    if (!body) return null;
    const { chunks } = await readWhole(body, entry.size, entry.name);
    return prepareData(chunks, method, policy.level, deflater);
  }

  const queued = readAhead<SourceEntry, PreparedData | null>(entries, {
    start: (entry, aborted) =>
      entry.kind === 'file' && entry.size <= PREPARE_MAX_SIZE
        ? prepare(entry, chooseMethod(entry.name, undefined, policy), aborted)
        : undefined,
    // The raw bytes and, briefly, their compressed copy.
    cost: (entry) => entry.size * 2,
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
    const method = chooseMethod(entry.name, undefined, policy);
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
    const body = await options.open(entry, 0, signal);
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
