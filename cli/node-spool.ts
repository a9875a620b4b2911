/**
 * The spool on a local disk, for the command-line tool and benchmarks: same
 * contract as the OPFS spool (lib/spool/opfs.ts), one file per segment.
 */
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdir, readdir, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { SegmentWriter, Spool } from '../lib/spool/types';

export async function createNodeSpool(dir: string): Promise<Spool> {
  await mkdir(dir, { recursive: true });
  return {
    async openSegment(name) {
      const stream = createWriteStream(join(dir, name));
      let size = 0;
      const writer: SegmentWriter = {
        get size() {
          return size;
        },
        // write() keeps a copy, never the chunk itself.
        copies: true,
        async write(chunk) {
          size += chunk.byteLength;
          // The zip writer may reuse its buffers: hand the stream a copy, and wait when it is full.
          if (!stream.write(Buffer.from(chunk)))
            await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
        },
        commit: () =>
          new Promise<number>((resolve, reject) =>
            stream.end((error?: Error | null) => (error ? reject(error) : resolve(size))),
          ),
        async abort() {
          stream.destroy();
          await rm(join(dir, name), { force: true });
        },
      };
      return writer;
    },
    async blob(segments) {
      const parts: Blob[] = [];
      for (const { name, size } of segments) {
        const actual = (await stat(join(dir, name))).size;
        if (actual !== size) throw new Error(`Spool segment ${name} has ${actual} bytes, expected ${size}`);
        parts.push(await openAsBlob(join(dir, name)));
      }
      return new Blob(parts, { type: 'application/zip' });
    },
    async prune(keep) {
      for (const name of await readdir(dir)) if (!keep.includes(name)) await rm(join(dir, name), { force: true });
    },
    async remove() {
      await rm(dir, { recursive: true, force: true });
    },
    async available() {
      const { bavail, bsize } = await statfs(dir);
      return bavail * bsize;
    },
  };
}
