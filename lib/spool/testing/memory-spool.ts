/**
 * A spool in memory, for tests where no file system exists. Same contract as
 * the OPFS spool: only committed segments survive.
 */
import type { SegmentWriter, Spool } from '../types';

export function createMemorySpool(options: { available?: number } = {}): Spool & { files: Map<string, Blob> } {
  const files = new Map<string, Blob>();
  return {
    files,
    async openSegment(name) {
      const chunks: Uint8Array[] = [];
      let size = 0;
      const writer: SegmentWriter = {
        get size() {
          return size;
        },
        // write() keeps a copy, never the chunk itself.
        copies: true,
        async write(chunk) {
          chunks.push(chunk.slice());
          size += chunk.byteLength;
        },
        async commit() {
          files.set(name, new Blob(chunks as Uint8Array<ArrayBuffer>[]));
          return size;
        },
        async abort() {
          chunks.length = 0;
        },
      };
      return writer;
    },
    async blob(segments) {
      return new Blob(segments.map(({ name }) => files.get(name)!));
    },
    async prune(keep) {
      for (const name of [...files.keys()]) if (!keep.includes(name)) files.delete(name);
    },
    async remove() {
      files.clear();
    },
    async available() {
      return options.available;
    },
  };
}
