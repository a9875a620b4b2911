/** Small helpers for byte streams shared by sources, the zip writer and the spools. */

/**
 * The chunks of a byte stream, read through its reader (async iteration of
 * ReadableStream is not in every browser yet). Stopping early — a break, a
 * throw in the loop — cancels the stream, so its request or file is released.
 */
export async function* readChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let complete = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      yield next.value;
    }
    complete = true;
  } finally {
    if (!complete) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** One array holding `chunks` in order (the chunk itself when there is only one). */
export function concatBytes(chunks: readonly Uint8Array[], total?: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total ?? chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** The first `bytes` bytes of `chunks` (fewer when they hold less), copied only when they span chunks. */
export function firstBytes(chunks: readonly Uint8Array[], bytes: number): Uint8Array {
  const head: Uint8Array[] = [];
  let size = 0;
  for (const chunk of chunks) {
    if (size >= bytes) break;
    head.push(chunk);
    size += chunk.byteLength;
  }
  return concatBytes(head, size).subarray(0, bytes);
}

/**
 * Reads `source` until at least `bytes` bytes (or all of it) arrived, and
 * answers them together with an iterable over the whole source, those bytes
 * first: a stream's start can be looked at before deciding how to write it.
 * Stopping `all` early stops `source` too.
 */
export async function peekBytes(
  source: AsyncIterable<Uint8Array>,
  bytes: number,
): Promise<{ head: Uint8Array; all: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let size = 0;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
    size += next.value.byteLength;
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    try {
      yield* seen;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return { head: firstBytes(seen, bytes), all: all() };
}

/**
 * Buffers a large download is read into (a BYOB reader, `readInto`) and that
 * come back once the archive no longer needs their bytes (`giveBack`, called by
 * the zip writer after a sink copied a stored chunk: lib/zip/writer.ts). A
 * fetch body's default reader hands out a fresh ArrayBuffer per chunk; in the
 * service worker 1 GiB of them left the collector ≈120–220 MiB behind, while
 * the same download read into reused buffers peaked at 8–11 MiB of heap and ran
 * no slower (Chromium 156, 4 × 256 MiB from nginx on loopback; bench P4).
 * Only buffers the pool made are ever reused; a chunk not given back is garbage
 * like any other, so forgetting to give one back is safe.
 */
export interface BufferPool {
  /** A buffer to read into: one given back, else a new one of `size` bytes. */
  take(): Uint8Array<ArrayBuffer>;
  /** Marks the buffer a BYOB read answered with (transferred, so a new object) as the pool's. */
  own(chunk: Uint8Array): void;
  /** The caller is done with every byte of `chunk`: its buffer may be read into again. */
  giveBack(chunk: Uint8Array): void;
  /** Buffers made so far. */
  readonly allocated: number;
}

export function createBufferPool(size: number, keep: number): BufferPool {
  const owned = new WeakSet<ArrayBufferLike>();
  const spare: ArrayBuffer[] = [];
  let allocated = 0;
  return {
    take() {
      const buffer = spare.pop();
      if (buffer) return new Uint8Array(buffer);
      allocated++;
      return new Uint8Array(size);
    },
    own(chunk) {
      owned.add(chunk.buffer);
    },
    giveBack(chunk) {
      const buffer = chunk.buffer;
      // A detached buffer has length 0; a foreign one is never taken over.
      if (!owned.has(buffer) || buffer.byteLength !== size || spare.length >= keep) return;
      owned.delete(buffer);
      spare.push(buffer as ArrayBuffer);
    },
    get allocated() {
      return allocated;
    },
  };
}

/**
 * The pool large downloads are read into in this context: 256 KiB per buffer (a
 * BYOB read answers with what has arrived, ≈64–256 KiB from loopback whatever
 * the view's size), and as many kept as the streams between the download and
 * the writer hold at once.
 */
export const downloadBuffers = createBufferPool(256 * 1024, 8);

/** What reads a body chunk by chunk: a default reader, or `readInto`'s BYOB reader. */
export interface ChunkReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
}

/**
 * Reads `body` into buffers of `pool` with a BYOB reader where `body` is a byte
 * stream (a fetch body in browsers and Node); otherwise its default reader.
 */
export function readInto(body: ReadableStream<Uint8Array>, pool: BufferPool): ChunkReader {
  let byob: ReadableStreamBYOBReader;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    return body.getReader();
  }
  return {
    async read() {
      const result = await byob.read(pool.take());
      if (result.value) pool.own(result.value);
      if (!result.done) return result as ReadableStreamReadResult<Uint8Array>;
      if (result.value) pool.giveBack(result.value);
      return { done: true, value: undefined };
    },
    cancel: (reason) => byob.cancel(reason),
  };
}
