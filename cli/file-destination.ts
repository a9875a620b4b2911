/** "Save to this computer" for the command-line tool: a local folder, never overwriting (`wx`). */
import { createWriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArchiveDestination } from '../lib/archive/types';
import { numberedName } from '../lib/archive/free-name';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

export function createFileDestination(folder: string): ArchiveDestination {
  return {
    label: folder,
    async freeName(name) {
      for (let n = 0; ; n++) {
        const candidate = numberedName(name, n);
        if (!(await exists(join(folder, candidate)))) return candidate;
      }
    },
    async store(file, name, { signal, onProgress }) {
      let sent = 0;
      const source = Readable.fromWeb(file.stream() as never, { signal });
      source.on('data', (chunk: Buffer) => onProgress?.({ sent: (sent += chunk.byteLength), total: file.size }));
      await pipeline(source, createWriteStream(join(folder, name), { flags: 'wx' }));
      return { name, size: file.size };
    },
  };
}
