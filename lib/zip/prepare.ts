/**
 * Reads and compresses one small entry ahead of the writer (its
 * `addPrepared`). The writer must write entries in order, but nothing stops the
 * next few small files from being downloaded and deflated meanwhile: that hides
 * request latency, and where the deflater runs off-thread (node:zlib) it uses
 * every core.
 */
import { concatBytes, readChunks } from '../bytes';
import { AppError } from '../errors';
import { crc32 } from './crc32';
import type { Deflater } from './deflate';
import type { ZipMethod } from './records';
import type { PreparedData } from './writer';

/** Reads all of `body`, refusing more than `expected` bytes as soon as they arrive ('size-mismatch'). */
export async function readWhole(
  body: ReadableStream<Uint8Array>,
  expected: number,
  name: string,
): Promise<{ chunks: Uint8Array[]; size: number }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of readChunks(body)) {
    size += chunk.length;
    if (size > expected) {
      throw new AppError('size-mismatch', `"${name}" has more than the ${expected} bytes it was listed with`, {
        name,
        expected,
      });
    }
    chunks.push(chunk);
  }
  return { chunks, size };
}

/** CRC and, for 'deflate', the compressed bytes of data held in memory. */
export async function prepareData(
  chunks: Uint8Array[],
  method: ZipMethod,
  level: number,
  deflater: Deflater,
): Promise<PreparedData> {
  let crc = 0;
  let size = 0;
  for (const chunk of chunks) {
    crc = crc32(chunk, crc);
    size += chunk.length;
  }
  if (method === 'store') return { method, crc, size, chunks };
  return { method, crc, size, chunks: await deflater.whole(concatBytes(chunks, size), level) };
}
