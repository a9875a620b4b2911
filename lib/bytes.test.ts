import { describe, expect, it } from 'vitest';
import { concatBytes, createBufferPool, firstBytes, peekBytes, readChunks, readInto } from './bytes';

describe('readChunks', () => {
  it('yields every chunk and cancels the stream when the reader stops early', async () => {
    let cancelled = false;
    let n = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array([n++])),
      cancel: () => void (cancelled = true),
    });
    const seen: number[] = [];
    for await (const chunk of readChunks(stream)) {
      seen.push(chunk[0]!);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });
});

describe('concatBytes', () => {
  it('joins chunks in order and passes a single chunk through uncopied', () => {
    expect(concatBytes([new Uint8Array([1, 2]), new Uint8Array([]), new Uint8Array([3])])).toEqual(
      new Uint8Array([1, 2, 3]),
    );
    const only = new Uint8Array([9]);
    expect(concatBytes([only])).toBe(only);
  });
});

describe('peekBytes', () => {
  async function* numbered(count: number, size: number, finished: { value: boolean }) {
    try {
      for (let n = 0; n < count; n++) yield new Uint8Array(size).fill(n);
    } finally {
      finished.value = true;
    }
  }

  it('answers the first bytes and then every byte of the source, those included, in order', async () => {
    const finished = { value: false };
    const { head, all } = await peekBytes(numbered(5, 3, finished), 4);
    expect([...head]).toEqual([0, 0, 0, 1]);
    const seen: number[] = [];
    for await (const chunk of all) seen.push(...chunk);
    expect(seen).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(finished.value).toBe(true);
  });

  it('answers a short source whole, and stopping early stops the source', async () => {
    const short = await peekBytes(numbered(1, 2, { value: false }), 10);
    expect([...short.head]).toEqual([0, 0]);
    const finished = { value: false };
    const { all } = await peekBytes(numbered(100, 1, finished), 1);
    for await (const _ of all) break;
    expect(finished.value).toBe(true);
  });

  it('firstBytes copies only across chunks', () => {
    const one = new Uint8Array(8);
    expect(firstBytes([one], 4).buffer).toBe(one.buffer);
    expect([...firstBytes([new Uint8Array([1]), new Uint8Array([2, 3])], 2)]).toEqual([1, 2]);
  });
});

describe('createBufferPool', () => {
  it('reuses a buffer it made once it is given back, and never takes over a foreign one', () => {
    const pool = createBufferPool(16, 2);
    const first = pool.take();
    pool.own(first);
    pool.giveBack(first.subarray(0, 5));
    const again = pool.take();
    expect(again.buffer).toBe(first.buffer);
    const foreign = new Uint8Array(16);
    pool.giveBack(foreign);
    expect(pool.take().buffer).not.toBe(foreign.buffer);
    expect(pool.allocated).toBe(2);
  });

  it('reads a byte stream into its buffers with a BYOB reader, and any other stream with its own reader', async () => {
    const pool = createBufferPool(1024, 4);
    const bytes = new Uint8Array(3000).map((_, i) => i);
    const stream = () => new Response(bytes).body!;
    const seen: number[] = [];
    const reader = readInto(stream(), pool);
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      seen.push(...next.value);
      expect(next.value.buffer.byteLength).toBe(1024);
      pool.giveBack(next.value);
    }
    expect(seen).toEqual([...bytes]);
    expect(pool.allocated).toBe(1);
    const plain = readInto(new Blob([bytes]).stream().pipeThrough(new TransformStream()), pool);
    expect((await plain.read()).value?.length).toBeGreaterThan(0);
    expect(pool.allocated).toBe(1);
  });
});
