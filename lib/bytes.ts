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
