/**
 * A streaming zip writer with ZIP64 (PKWARE APPNOTE.TXT 6.3.10) that can
 * resume: every finished entry yields a JSON checkpoint, and a writer built
 * from the checkpoints continues after the last one. Entries are streamed
 * chunk by chunk (never buffered whole) into an append-only sink.
 */
import { downloadBuffers, readChunks } from '../bytes';
import { AppError, ZipError } from '../errors';
import { crc32 } from './crc32';
import { defaultDeflater, type Deflater } from './deflate';
import { encodeName, recordInfo, startCheckpoint, type EntryCheckpoint } from './entry';
import type { EntryKind } from './names';
import { createNameRegistry } from './names';
import { createZipOutput, type ZipSink } from './output';
import {
  centralDirectoryHeader,
  dataDescriptor,
  endOfCentralDirectory,
  localFileHeader,
  needsZip64End,
  zip64EndLocator,
  zip64EndRecord,
  type ZipMethod,
} from './records';

export type { EntryCheckpoint } from './entry';
export type { ZipSink } from './output';

export interface ZipEntryInput {
  /** Requested path; made safe and unique by lib/zip/names.ts. */
  name: string;
  kind: EntryKind;
  /** Modification time, epoch milliseconds. */
  modified: number;
  /** Ignored for folders (always stored). */
  method: ZipMethod;
  /** Known size in bytes; lets small entries skip ZIP64 and is checked against the data ('size-mismatch'). */
  size?: number;
}

export type ZipEntryData = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>;

/**
 * An entry's data compressed ahead of time (lib/zip/prepare.ts), so several
 * small entries can be read and compressed in parallel while the writer,
 * which must write in order, is busy with an earlier one.
 */
export interface PreparedData {
  method: ZipMethod;
  crc: number;
  /** Uncompressed bytes. */
  size: number;
  /** The bytes as they go into the archive (stored or deflated). */
  chunks: Uint8Array[];
}

export interface ZipWriterOptions {
  sink: ZipSink;
  /** Archive offset of the sink's next byte; defaults to the end of the last checkpoint, else 0. */
  offset?: number;
  /** Checkpoints of the entries already in the sink, in order (resume). */
  entries?: EntryCheckpoint[];
  /** DEFLATE level 1..9 for 'deflate' entries (default 6). */
  level?: number;
  /** The compressor (default: the runtime's native one, lib/zip/deflate.ts). */
  deflater?: Deflater;
  /**
   * Flush to the sink at the end of every entry (default true), so each
   * returned checkpoint is durable at once. With false, small entries are
   * batched into ≈1 MiB writes (much faster for many small files); call
   * `flush()` before persisting checkpoints.
   */
  flushEachEntry?: boolean;
  signal?: AbortSignal;
}

export interface ZipWriter {
  /** Streams one entry into the sink; resolves once its bytes are written, with its checkpoint. */
  addEntry(entry: ZipEntryInput, data?: ZipEntryData): Promise<EntryCheckpoint>;
  /** Writes one file entry whose data was read and compressed ahead (`input.method` must match). */
  addPrepared(entry: ZipEntryInput, data: PreparedData): Promise<EntryCheckpoint>;
  /** Writes the central directory and end records; resolves with the total archive length. */
  finish(): Promise<{ length: number }>;
  /** Hands every pending byte to the sink; afterwards all checkpoints so far are durable. */
  flush(): Promise<void>;
  /** Checkpoints of all entries so far (a copy). */
  readonly entries: EntryCheckpoint[];
  /** Archive offset after the last finished entry. */
  readonly offset: number;
}

const MAX_32 = 0xffffffff;

/** Chunks of `data`, whatever its kind. */
async function* chunksOf(data: ZipEntryData | undefined): AsyncGenerator<Uint8Array> {
  if (!data) return;
  if ('getReader' in data) yield* readChunks(data);
  else yield* data;
}

/** Creates a zip writer over `options.sink`, fresh or resuming after `options.entries`. */
export function createZipWriter(options: ZipWriterOptions): ZipWriter {
  const entries = (options.entries ?? []).map((entry) => ({ ...entry }));
  const last = entries.at(-1);
  const start = options.offset ?? last?.end ?? 0;
  if (last && start !== last.end) {
    throw new ZipError('Resume offset does not match the last checkpoint', { offset: start, end: last.end });
  }
  const { signal, level = 6, flushEachEntry = true } = options;
  const deflater = options.deflater ?? defaultDeflater();
  const names = createNameRegistry(entries);
  const out = createZipOutput(options.sink, start);
  let busy = false;
  let broken = false;
  let finished = false;

  function enter(): void {
    if (finished) throw new ZipError('The archive is already finished');
    if (broken) throw new ZipError('An earlier entry failed; resume from the checkpoints');
    if (busy) throw new ZipError('Entries must be added one at a time');
    signal?.throwIfAborted();
    busy = true;
  }

  function sizeMismatch(entry: Pick<EntryCheckpoint, 'name' | 'size'>, expected: number): AppError {
    const { name, size } = entry;
    return new AppError('size-mismatch', `"${name}" has ${size} bytes, expected ${expected}`, {
      name,
      expected,
      actual: size,
    });
  }

  async function* measured(
    data: ZipEntryData | undefined,
    entry: EntryCheckpoint,
    expected: number | undefined,
  ): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunksOf(data)) {
      signal?.throwIfAborted();
      entry.crc = crc32(chunk, entry.crc);
      entry.size += chunk.length;
      // Fail as soon as a source sends more than announced, not gigabytes later.
      if (expected !== undefined && entry.size > expected) throw sizeMismatch(entry, expected);
      yield chunk;
    }
    if (expected !== undefined && entry.size !== expected) throw sizeMismatch(entry, expected);
  }

  async function streamData(entry: EntryCheckpoint, data: ZipEntryData | undefined, expected?: number): Promise<void> {
    const input = measured(data, entry, expected);
    const compressed = entry.method === 'deflate' ? deflater.stream(input, level) : input;
    for await (const chunk of compressed) {
      entry.compressedSize += chunk.length;
      await out.push(chunk);
      // A stored chunk is the source's own; once a copying sink has it (or the output batched a copy),
      // its buffer may be read into again. A deflater may still hold its input, so only 'store'.
      if (entry.method === 'store' && options.sink.copies) downloadBuffers.giveBack(chunk);
    }
  }

  /** Writes header, data (by `writeData`) and descriptor of one entry, and returns its checkpoint. */
  async function writeEntry(
    input: ZipEntryInput,
    writeData: ((entry: EntryCheckpoint) => Promise<void>) | undefined,
  ): Promise<EntryCheckpoint> {
    enter();
    const before = out.position;
    try {
      if (input.kind === 'folder' && writeData) throw new ZipError('A folder has no data', { name: input.name });
      const name = names.register(input.name, input.kind);
      const entry = startCheckpoint(name, input.name, input, out.position);
      const nameBytes = encodeName(name);
      await out.push(localFileHeader(recordInfo(entry, nameBytes)));
      if (input.kind === 'file') {
        await writeData?.(entry);
        if (!entry.zip64 && (entry.size >= MAX_32 || entry.compressedSize >= MAX_32)) {
          throw new ZipError('Entry reached 4 GiB without a ZIP64 local header', { name });
        }
        await out.push(dataDescriptor(recordInfo(entry, nameBytes)));
      }
      // Flush so the checkpoint never points past bytes the sink has not received.
      if (flushEachEntry) await out.flush();
      entry.end = out.position;
      entries.push(entry);
      return { ...entry };
    } catch (error) {
      // A refused entry (bad name, folder with data) wrote nothing: the caller
      // may skip it and go on. Once bytes went out, only a resume can repair.
      if (out.position !== before) broken = true;
      throw error;
    } finally {
      busy = false;
    }
  }

  function addEntry(input: ZipEntryInput, data?: ZipEntryData): Promise<EntryCheckpoint> {
    if (input.kind === 'folder') return writeEntry(input, data && (async () => undefined));
    return writeEntry(input, (entry) => streamData(entry, data, input.size));
  }

  function addPrepared(input: ZipEntryInput, data: PreparedData): Promise<EntryCheckpoint> {
    // Checked before the local header goes out, so a refused entry writes nothing.
    if (input.kind !== 'file' || data.method !== input.method) {
      return Promise.reject(new ZipError('Prepared data does not match the entry', { name: input.name }));
    }
    if (input.size !== undefined && data.size !== input.size) {
      return Promise.reject(sizeMismatch({ name: input.name, size: data.size }, input.size));
    }
    return writeEntry(input, async (entry) => {
      entry.crc = data.crc;
      entry.size = data.size;
      for (const chunk of data.chunks) {
        entry.compressedSize += chunk.length;
        await out.push(chunk);
      }
    });
  }

  async function finish(): Promise<{ length: number }> {
    enter();
    try {
      const offset = out.position;
      for (const entry of entries) await out.push(centralDirectoryHeader(recordInfo(entry)));
      const dir = { count: entries.length, size: out.position - offset, offset };
      if (needsZip64End(dir)) {
        const zip64End = out.position;
        await out.push(zip64EndRecord(dir));
        await out.push(zip64EndLocator(zip64End));
      }
      await out.push(endOfCentralDirectory(dir));
      await out.flush();
      finished = true;
      return { length: out.position };
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      busy = false;
    }
  }

  async function flush(): Promise<void> {
    if (finished) return; // finish() flushed everything already
    enter();
    try {
      await out.flush();
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      busy = false;
    }
  }

  return {
    addEntry,
    addPrepared,
    finish,
    flush,
    get entries() {
      return entries.map((entry) => ({ ...entry }));
    },
    get offset() {
      return entries.at(-1)?.end ?? start;
    },
  };
}
