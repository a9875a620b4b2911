/**
 * Raw DEFLATE (RFC 1951, zip method 8) over fflate's synchronous `Deflate`.
 * fflate supplies only the compressor here: its own zip writer cannot write
 * ZIP64 (platform.md §6, fflate#81), and its async classes spawn Workers, which
 * an MV3 service worker cannot create (w3c/webextensions#287).
 */
import { Deflate } from 'fflate';

// fflate grows its window buffer to the size of a pushed chunk; feeding at most
// 1 MiB at a time bounds it. Larger pushes are faster than 64 KiB ones (fewer
// block restarts: measured ≈1.2–2× on 8 MiB), so we do not go smaller.
const PUSH_SIZE = 1024 * 1024;

/**
 * Compresses `source` chunk by chunk. Each input chunk is pushed, then the
 * compressed output it produced is yielded before the next one is read, so
 * memory stays bounded whatever the entry size.
 */
export async function* deflateRaw(source: AsyncIterable<Uint8Array>, level: number): AsyncGenerator<Uint8Array> {
  const output: Uint8Array[] = [];
  // fflate hands every block out in a fresh array, so queuing them without copying is safe.
  const deflate = new Deflate({ level: level as 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 }, (chunk) => {
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
