import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import { fflateDeflater } from './deflate';
import { prepareData, readWhole } from './prepare';
import { createMemorySink } from './testing/memory-sink';
import { createZipWriter } from './writer';

const text = (s: string) => new TextEncoder().encode(s);
const MODIFIED = Date.UTC(2024, 2, 3, 4, 5, 6);

function bodyOf(...parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

describe('prepared entries', () => {
  it('are written like streamed ones, in the order they are added', async () => {
    const notes = text('prepared ahead '.repeat(500));
    const photo = new Uint8Array(2048).map((_, i) => i * 31);
    const sink = createMemorySink();
    const writer = createZipWriter({ sink });
    const deflated = await prepareData([notes.subarray(0, 100), notes.subarray(100)], 'deflate', 6, fflateDeflater);
    const stored = await prepareData([photo], 'store', 6, fflateDeflater);
    expect(deflated).toMatchObject({ crc: crc32(notes), size: notes.length, method: 'deflate' });
    const first = await writer.addPrepared(
      { name: 'notes.txt', kind: 'file', modified: MODIFIED, method: 'deflate', size: notes.length },
      deflated,
    );
    await writer.addPrepared({ name: 'photo.jpg', kind: 'file', modified: MODIFIED, method: 'store' }, stored);
    await writer.finish();
    expect(first.compressedSize).toBeLessThan(notes.length / 10);
    const files = unzipSync(sink.bytes());
    expect(Object.keys(files)).toEqual(['notes.txt', 'photo.jpg']);
    expect(files['notes.txt']).toEqual(notes);
    expect(files['photo.jpg']).toEqual(photo);
  });

  it('refuses data whose size or method differs from the entry, writing nothing', async () => {
    const sink = createMemorySink();
    const writer = createZipWriter({ sink });
    const data = await prepareData([text('abc')], 'store', 6, fflateDeflater);
    await expect(
      writer.addPrepared({ name: 'a.txt', kind: 'file', modified: MODIFIED, method: 'deflate' }, data),
    ).rejects.toMatchObject({ code: 'zip' });
    expect(writer.offset).toBe(0);
    await expect(
      writer.addPrepared({ name: 'a.txt', kind: 'file', modified: MODIFIED, method: 'store', size: 4 }, data),
    ).rejects.toMatchObject({ code: 'size-mismatch' });
    expect(writer.offset).toBe(0);
    // Nothing was broken: the same name is still free for a correct entry.
    const entry = await writer.addPrepared(
      { name: 'a.txt', kind: 'file', modified: MODIFIED, method: 'store', size: 3 },
      data,
    );
    expect(entry.name).toBe('a.txt');
  });

  it('reads a body whole but stops as soon as it exceeds the listed size', async () => {
    expect(await readWhole(bodyOf(text('ab'), text('cd')), 4, 'x')).toMatchObject({ size: 4 });
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(1000)),
      cancel: () => void (cancelled = true),
    });
    await expect(readWhole(endless, 2500, 'big.bin')).rejects.toMatchObject({ code: 'size-mismatch' });
    expect(cancelled).toBe(true);
  });
});
