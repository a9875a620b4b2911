/** An in-memory sink for tests: keeps every chunk and can be truncated like a spool file. */
import type { ZipSink } from '../output';

export interface MemorySink extends ZipSink {
  bytes(): Uint8Array;
  truncate(length: number): void;
  writes: number;
}

export function createMemorySink(initial?: Uint8Array): MemorySink {
  let chunks: Uint8Array[] = initial ? [initial.slice()] : [];
  const sink: MemorySink = {
    writes: 0,
    async write(chunk) {
      sink.writes++;
      chunks.push(chunk);
    },
    bytes() {
      const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      const out = new Uint8Array(total);
      let at = 0;
      for (const chunk of chunks) {
        out.set(chunk, at);
        at += chunk.length;
      }
      chunks = [out];
      return out;
    },
    truncate(length) {
      chunks = [sink.bytes().slice(0, length)];
    },
  };
  return sink;
}
