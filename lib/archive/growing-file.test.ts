import { describe, expect, it } from 'vitest';
import { fflateDeflater } from '../zip/deflate';
import { createZipWriter } from '../zip/writer';
import { changedError } from './file-version';
import type { ArchiveSource, SourceEntry } from './types';
import { zipEntries } from './zip-entries';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const BLOCK = new Uint8Array(MiB).map((_, i) => (i * 2654435761) >>> 24);

/** `blocks` MiB of BLOCK, pulled one at a time: never held in memory. */
function blocks(count: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull: (controller) => (sent++ < count ? controller.enqueue(BLOCK) : controller.close()),
  });
}

describe('a file that grows past 4 GiB after it was listed', () => {
  it('is read at its size now and written as a valid ZIP64 entry', { timeout: 600_000 }, async () => {
    // Listed just under 4 GiB, so its listing alone would not ask for ZIP64.
    const listed: SourceEntry = { name: 'log.bin', kind: 'file', size: 4 * GiB - 64 * MiB, modified: 0, ref: 'log' };
    const grown = 4 * GiB + MiB;
    const sizesAsked: number[] = [];
    const open: ArchiveSource['open'] = async (entry) => {
      sizesAsked.push(entry.size);
      if (entry.size !== grown) throw changedError(entry, `listed with ${entry.size} bytes, now ${grown}`, grown);
      return blocks(grown / MiB);
    };
    let written = 0;
    const writer = createZipWriter({ sink: { write: async (chunk) => void (written += chunk.length) } });
    const results = [];
    for await (const result of zipEntries(
      (async function* () {
        yield listed;
      })(),
      {
        writer,
        open,
        policy: { mode: 'store', level: 6 },
        deflater: fflateDeflater,
        signal: new AbortController().signal,
      },
    ))
      results.push(result);

    expect(sizesAsked).toEqual([listed.size, grown]);
    expect(results).toEqual([expect.objectContaining({ name: 'log.bin', size: grown, zip64: true })]);
    const { length } = await writer.finish();
    expect(written).toBe(length);
    expect(length).toBeGreaterThan(grown);
  });
});
