/**
 * Batches writes to the sink: headers and small chunks are copied into one
 * buffer and written together; large chunks go straight through (after what is
 * pending), uncopied. Fewer, larger sink writes matter for OPFS writables and
 * file handles, where each call has a fixed cost.
 */

/** Where archive bytes go, in order. Chunks are never reused after being written, so a sink may keep them. */
export interface ZipSink {
  write(chunk: Uint8Array): Promise<void>;
  /**
   * True when the sink is done with a chunk once `write()` resolved (it copied
   * the bytes): the writer then gives a stored entry's chunks back to the pool
   * they were read into (lib/bytes.ts `downloadBuffers`).
   */
  readonly copies?: boolean;
}

const BUFFER_SIZE = 1024 * 1024;
/**
 * Chunks at least this large skip the copy into the batch buffer. A download
 * arrives in chunks of 64–256 KiB (Chromium's fetch from nginx on loopback), and
 * every sink batches again on its own (lib/spool/port-segment.ts copies into
 * 4 MiB batches): copying such chunks here was a second copy of every byte and
 * 1 MiB of garbage per MiB archived, which the service worker's collector let
 * pile up (bench P4).
 */
const DIRECT_SIZE = 32 * 1024;

export interface ZipOutput {
  /** Archive offset of the next byte (written or pending). */
  readonly position: number;
  push(bytes: Uint8Array): Promise<void> | void;
  flush(): Promise<void>;
}

/** A batching writer onto `sink` whose first byte is at archive offset `start`. */
export function createZipOutput(sink: ZipSink, start: number): ZipOutput {
  // Bytes [flushed, used) are pending. Flushed regions are handed to the sink
  // and never written again (a sink may still hold them in a queue); a new
  // buffer is allocated only when this one is full, not on every flush, so
  // flushing after each tiny entry stays cheap.
  let buffer = new Uint8Array(BUFFER_SIZE);
  let flushed = 0;
  let used = 0;
  let position = start;

  async function flush(): Promise<void> {
    if (used === flushed) return;
    const chunk = buffer.subarray(flushed, used);
    flushed = used;
    await sink.write(chunk);
  }

  function append(bytes: Uint8Array): void {
    if (used + bytes.length > buffer.length) {
      buffer = new Uint8Array(BUFFER_SIZE);
      flushed = used = 0;
    }
    buffer.set(bytes, used);
    used += bytes.length;
  }

  async function pushLarge(bytes: Uint8Array): Promise<void> {
    await flush();
    await sink.write(bytes);
  }

  function push(bytes: Uint8Array): Promise<void> | void {
    position += bytes.length;
    if (bytes.length >= DIRECT_SIZE) return pushLarge(bytes);
    if (used + bytes.length > buffer.length) return flush().then(() => append(bytes));
    append(bytes);
  }

  return {
    get position() {
      return position;
    },
    push,
    flush,
  };
}
