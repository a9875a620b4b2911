import { describe, expect, it } from 'vitest';
import { concatBytes, readChunks } from './bytes';

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
