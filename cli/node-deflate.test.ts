import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nodeDeflater } from './node-deflate';

async function collect(source: AsyncIterable<Uint8Array>) {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('nodeDeflater', () => {
  const text = Buffer.from('node zlib '.repeat(50_000));

  it('streams raw deflate that inflates back', async () => {
    async function* pieces() {
      for (let at = 0; at < text.length; at += 7777) yield text.subarray(at, at + 7777);
    }
    const compressed = await collect(nodeDeflater.stream(pieces(), 6));
    expect(compressed.length).toBeLessThan(text.length / 50);
    expect(inflateRawSync(compressed).equals(text)).toBe(true);
  });

  it('compresses whole buffers at any level', async () => {
    for (const level of [1, 9]) {
      expect(inflateRawSync(Buffer.concat(await nodeDeflater.whole(text, level))).equals(text)).toBe(true);
    }
  });

  it('passes a source error through', async () => {
    async function* failing() {
      yield Buffer.alloc(10);
      throw new Error('read failed');
    }
    await expect(collect(nodeDeflater.stream(failing(), 6))).rejects.toThrow('read failed');
  });
});
