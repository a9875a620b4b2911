/**
 * Raw DEFLATE (RFC 1951, zip method 8) behind one small interface, so each
 * runtime uses its fastest compressor:
 * - the browser: the native `CompressionStream('deflate-raw')` (Chromium ≥ 103,
 *   Firefox ≥ 113; zlib in C++). Its constructor takes only a format
 *   (compression.spec.whatwg.org), so it always deflates at zlib's default
 *   level 6. It also serves levels 1–5: native level 6 is both faster and
 *   smaller than fflate's level 1 in JavaScript (bench P1, mixed set in
 *   Chromium: 11.5 s vs 17.9 s, 240.7 vs 241.3 MiB), so the faster level the
 *   user asked for is best served by it;
 * - fflate's synchronous `Deflate` for levels 7–9 (smaller output, slower) and
 *   where the native stream is missing. fflate supplies only the compressor: its own zip writer
 *   cannot write ZIP64 (docs/zip-format.md#fflate, fflate#81), and its async classes spawn
 *   Workers, which an MV3 service worker cannot create (w3c/webextensions#287);
 * - Node (CLI, bench): node:zlib, injected from cli/node-deflate.ts.
 * Measured on the bench's 3,000 text files (59.6 MiB, level 6): fflate 26 MiB/s,
 * Chromium's CompressionStream 37 MiB/s, in the extension's service worker.
 */
import { Deflate, deflateSync } from 'fflate';
import { readChunks } from '../bytes';

export interface Deflater {
  /** Compresses `source` chunk by chunk; output is yielded as it is produced, so memory stays bounded. */
  stream(source: AsyncIterable<Uint8Array>, level: number): AsyncIterable<Uint8Array>;
  /**
   * Compresses one whole (small) input. May run off the calling thread
   * (node:zlib's thread pool), which is what lets several entries compress in
   * parallel while the writer writes earlier ones.
   */
  whole(data: Uint8Array, level: number): Promise<Uint8Array[]>;
}

/** zlib's and Info-ZIP's default level; the only one the native stream offers. */
export const DEFAULT_LEVEL = 6;

// fflate grows its window buffer to the size of a pushed chunk; feeding at most
// 1 MiB at a time bounds it. Larger pushes are faster than 64 KiB ones (fewer
// block restarts: measured ≈1.2–2× on 8 MiB), so we do not go smaller.
const PUSH_SIZE = 1024 * 1024;

type FflateLevel = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

async function* fflateStream(source: AsyncIterable<Uint8Array>, level: number): AsyncGenerator<Uint8Array> {
  const output: Uint8Array[] = [];
  // fflate hands every block out in a fresh array, so queuing them without copying is safe.
  const deflate = new Deflate({ level: level as FflateLevel }, (chunk) => {
    if (chunk.length > 0) output.push(chunk);
  });
  for await (const chunk of source) {
    for (let at = 0; at < chunk.length; at += PUSH_SIZE) {
      deflate.push(chunk.subarray(at, at + PUSH_SIZE), false);
      while (output.length > 0) yield output.shift()!;
    }
  }
  deflate.push(new Uint8Array(0), true);
  while (output.length > 0) yield output.shift()!;
}

/** fflate on the calling thread, any level. */
export const fflateDeflater: Deflater = {
  stream: fflateStream,
  whole: async (data, level) => [deflateSync(data, { level: level as FflateLevel })],
};

/** Whether this runtime has a native raw-deflate `CompressionStream`. */
export function hasNativeDeflateRaw(): boolean {
  try {
    new CompressionStream('deflate-raw');
    return true;
  } catch {
    return false;
  }
}

async function* nativeStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const stream = new CompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  // Input is written while output is read: a TransformStream applies
  // backpressure, so at most a chunk or two is in flight either way. A source
  // error (e.g. 'size-mismatch') aborts the stream and surfaces from read().
  const pumping = (async () => {
    try {
      // Chunks come from fetch bodies and files, never from a SharedArrayBuffer.
      for await (const chunk of source) await writer.write(chunk as Uint8Array<ArrayBuffer>);
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => undefined);
      throw error;
    }
  })();
  pumping.catch(() => undefined);
  // Stopping early cancels the readable, which errors the writable and so
  // ends the pump (and runs the source's own clean-up).
  yield* readChunks(stream.readable);
  await pumping;
}

async function* once(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return chunks;
}

/** Whether the native stream (always level 6) serves `level`: it does for every level up to its own. */
export function nativeServes(level: number): boolean {
  return level <= DEFAULT_LEVEL;
}

/** The native stream for levels 1–6, fflate for 7–9. */
export const nativeDeflater: Deflater = {
  stream: (source, level) => (nativeServes(level) ? nativeStream(source) : fflateStream(source, level)),
  whole: (data, level) => (nativeServes(level) ? collect(nativeStream(once(data))) : fflateDeflater.whole(data, level)),
};

let chosen: Deflater | undefined;

/** The browser's best deflater: native where it exists, else fflate. */
export function defaultDeflater(): Deflater {
  chosen ??= hasNativeDeflateRaw() ? nativeDeflater : fflateDeflater;
  return chosen;
}
