import { describe, expect, it } from 'vitest';
import { concatBytes, firstBytes, peekBytes, readChunks } from './bytes';

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
