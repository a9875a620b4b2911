import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { SourceEntry } from '../archive/types';
import { downloadBuffers, readChunks } from '../bytes';
import { createMemorySink } from '../zip/testing/memory-sink';
import { createZipWriter } from '../zip/writer';
import { openDownload } from './resumed-download';

const MiB = 1024 * 1024;

/**
 * `bytes` from byte `from` as a server sends it: a byte stream (as fetch bodies are), in chunks
 * of 64 KiB, that breaks after `breakAfter` bytes when given.
 */
function served(bytes: Uint8Array, from = 0, breakAfter = Infinity): Response {
  const chunk = 64 * 1024;
  let at = from;
  const body = new ReadableStream({
    type: 'bytes',
    pull(controller) {
      if (at - from >= breakAfter) throw new TypeError('terminated');
      if (at >= bytes.length) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const piece = bytes.subarray(at, at + chunk);
      at += piece.length;
      controller.enqueue(piece.slice());
    },
  });
  if (from === 0) return new Response(body, { status: 200, headers: { 'Content-Length': String(bytes.length) } });
  const range = `bytes ${from}-${bytes.length - 1}/${bytes.length}`;
  return new Response(body, { status: 206, headers: { 'Content-Range': range } });
}

function entryOf(size: number): SourceEntry {
  return { name: 'video.mp4', kind: 'file', size, modified: 0, ref: 'video.mp4' };
}

const options = (bytes: Uint8Array) => ({
  get: async () => served(bytes),
  retryDelay: () => undefined,
  sleep: async () => undefined,
});

/** Byte equality without a diff of millions of elements when it fails. */
const same = (a: Uint8Array | undefined, b: Uint8Array) => !!a && Buffer.compare(a, b) === 0;

function randomBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

describe('openDownload of a large file', () => {
  it('reads into buffers the zip writer gives back, so a 24 MiB stored entry needs only a few', async () => {
    const bytes = randomBytes(24 * MiB);
    const body = await openDownload(entryOf(bytes.length), 0, new AbortController().signal, options(bytes));
    const memory = createMemorySink();
    // The spool's sinks copy what they are given (lib/spool/port-segment.ts).
    const sink = { write: (chunk: Uint8Array) => memory.write(chunk.slice()), copies: true };
    const writer = createZipWriter({ sink });
    const before = downloadBuffers.allocated;
    await writer.addEntry({ name: 'video.mp4', kind: 'file', modified: 0, method: 'store', size: bytes.length }, body!);
    await writer.finish();
    // 24 MiB in 256 KiB reads would be ≥ 96 buffers without reuse (one fresh ArrayBuffer per chunk before).
    expect(downloadBuffers.allocated - before).toBeLessThanOrEqual(8);
    expect(same(unzipSync(memory.bytes())['video.mp4'], bytes)).toBe(true);
  });

  it('resumes a body that broke mid-file with Range, every byte in place', async () => {
    const bytes = randomBytes(20 * MiB);
    const asked: number[] = [];
    const body = await openDownload(entryOf(bytes.length), 0, new AbortController().signal, {
      get: async (from) => (asked.push(from), served(bytes, from, asked.length < 3 ? 7 * MiB + 1234 : Infinity)),
      retryDelay: (failures) => (failures < 5 ? 0 : undefined),
      sleep: async () => undefined,
    });
    const memory = createMemorySink();
    const writer = createZipWriter({ sink: { write: (chunk) => memory.write(chunk.slice()), copies: true } });
    await writer.addEntry({ name: 'video.mp4', kind: 'file', modified: 0, method: 'store', size: bytes.length }, body!);
    await writer.finish();
    // Two breaks, each resumed from the last byte delivered (a chunk boundary after 7 MiB + 1234).
    expect(asked).toHaveLength(3);
    expect(asked[1]).toBeGreaterThan(7 * MiB);
    expect(asked[2]! - asked[1]!).toBeGreaterThan(7 * MiB);
    expect(same(unzipSync(memory.bytes())['video.mp4'], bytes)).toBe(true);
  });

  it('hands out fresh buffers to a sink that keeps its chunks, which stay intact', async () => {
    const bytes = randomBytes(12 * MiB);
    const body = await openDownload(entryOf(bytes.length), 0, new AbortController().signal, options(bytes));
    const memory = createMemorySink(); // keeps every chunk as handed, no `copies`
    const writer = createZipWriter({ sink: memory });
    await writer.addEntry({ name: 'video.mp4', kind: 'file', modified: 0, method: 'store', size: bytes.length }, body!);
    await writer.finish();
    expect(same(unzipSync(memory.bytes())['video.mp4'], bytes)).toBe(true);
  });

  it('reads a small file (read ahead whole) with the default reader, outside the pool', async () => {
    const bytes = randomBytes(300 * 1024);
    const before = downloadBuffers.allocated;
    const body = await openDownload(entryOf(bytes.length), 0, new AbortController().signal, options(bytes));
    const chunks: Uint8Array[] = [];
    for await (const chunk of readChunks(body!)) chunks.push(chunk);
    expect(downloadBuffers.allocated).toBe(before);
    expect(chunks.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(bytes.length);
  });
});
