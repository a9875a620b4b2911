import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';

/** Bitwise CRC-32, straight from the definition (APPNOTE 4.4.7), as an independent reference. */
function referenceCrc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pseudoRandom(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

describe('crc32', () => {
  it.each([
    ['', 0],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
    ['hello', 0x3610a686],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('crc32(%j) = %i', (text, expected) => {
    expect(crc32(new TextEncoder().encode(text))).toBe(expected);
  });

  it('matches the bitwise reference for every length and alignment up to 200 bytes', () => {
    const data = pseudoRandom(260);
    for (let start = 0; start < 5; start++) {
      for (let length = 0; length <= 200; length++) {
        const slice = data.subarray(start, start + length);
        expect(crc32(slice)).toBe(referenceCrc32(slice));
      }
    }
  });

  it('matches zlib.crc32 on 5 MiB, whole and streamed in odd-sized pieces', () => {
    const data = pseudoRandom(5 * 1024 * 1024 + 13, 7);
    const expected = zlibCrc32(data);
    expect(crc32(data)).toBe(expected);
    let crc = 0;
    for (let at = 0, step = 1; at < data.length; at += step, step = (step * 3 + 7) % 100_003) {
      crc = crc32(data.subarray(at, at + step), crc);
    }
    expect(crc).toBe(expected);
  });

  it('reads a view into a larger buffer without touching bytes outside it', () => {
    const data = pseudoRandom(1000, 3);
    const view = data.subarray(3, 997);
    expect(crc32(view)).toBe(zlibCrc32(view));
  });
});
