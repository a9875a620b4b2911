import { inflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fflateDeflater, hasNativeDeflateRaw, nativeDeflater, type Deflater } from './deflate';

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of source) out.push(chunk);
  return out;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const DEFLATERS: [string, Deflater][] = [
  ['fflate', fflateDeflater],
  ['native CompressionStream', nativeDeflater],
];

it('finds the native raw-deflate stream (Node ≥ 20 and every browser we support have it)', () => {
  expect(hasNativeDeflateRaw()).toBe(true);
});

it('serves levels 1–6 with the native stream (faster than fflate at level 1) and 7–9 with fflate', async () => {
  const text = new TextEncoder().encode('the quick brown fox '.repeat(50_000));
  const at = async (deflater: Deflater, level: number) => concat(await deflater.whole(text, level));
  const native6 = await at(nativeDeflater, 6);
  expect(Buffer.from(await at(nativeDeflater, 1)).equals(native6)).toBe(true);
  expect(Buffer.from(await at(nativeDeflater, 9)).equals(await at(fflateDeflater, 9))).toBe(true);
  expect(Buffer.from(native6).equals(await at(fflateDeflater, 1))).toBe(false);
});

describe.each(DEFLATERS)('%s deflater', (_, deflater) => {
  const deflateRaw = (source: AsyncIterable<Uint8Array>, level: number) => deflater.stream(source, level);

  it('round-trips text pushed in uneven chunks', async () => {
    const text = new TextEncoder().encode('zip me '.repeat(100_000));
    async function* pieces() {
      for (let at = 0, step = 1; at < text.length; at += step, step = step * 7 + 1) yield text.subarray(at, at + step);
    }
    const compressed = concat(await collect(deflateRaw(pieces(), 6)));
    expect(compressed.length).toBeLessThan(text.length / 50);
    // Buffer.equals: toEqual walks 700 KB element by element and takes seconds.
    expect(Buffer.from(inflateSync(compressed)).equals(text)).toBe(true);
  });

  it('compresses empty input to a valid empty stream', async () => {
    async function* nothing(): AsyncGenerator<Uint8Array> {}
    expect(inflateSync(concat(await collect(deflateRaw(nothing(), 1))))).toEqual(new Uint8Array(0));
  });

  it('yields output while input is still coming (bounded memory)', async () => {
    const chunk = new Uint8Array(1024 * 1024).map((_, i) => (i * 2654435761) >>> 27);
    let pulled = 0;
    let outputsBeforeEnd = 0;
    async function* input() {
      for (let i = 0; i < 8; i++) {
        pulled++;
        yield chunk;
      }
    }
    for await (const out of deflateRaw(input(), 1)) {
      if (pulled < 8 && out.length > 0) outputsBeforeEnd++;
    }
    expect(outputsBeforeEnd).toBeGreaterThan(0);
  });

  it.each([1, 6, 9])('compresses a whole buffer at level %i', async (level) => {
    const text = new TextEncoder().encode('the whole thing '.repeat(20_000));
    const compressed = concat(await deflater.whole(text, level));
    expect(compressed.length).toBeLessThan(text.length / 20);
    expect(Buffer.from(inflateSync(compressed)).equals(text)).toBe(true);
  });

  it('passes a source error through and stops reading', async () => {
    let pulled = 0;
    async function* failing() {
      pulled++;
      yield new Uint8Array(1000);
      throw new Error('source broke');
    }
    await expect(collect(deflateRaw(failing(), 6))).rejects.toThrow('source broke');
    expect(pulled).toBe(1);
  });
});
