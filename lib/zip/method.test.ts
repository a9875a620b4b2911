import { describe, expect, it } from 'vitest';
import {
  chooseMethod,
  DEFAULT_POLICY,
  looksIncompressible,
  PROBE_BYTES,
  PROBE_MIN_BYTES,
  probedMethod,
  worthProbing,
} from './method';

describe('chooseMethod', () => {
  it.each([
    ['photo.JPG', undefined, 'store'],
    ['dir/clip.mp4', undefined, 'store'],
    ['a.tar.gz', undefined, 'store'],
    ['book.epub', undefined, 'store'],
    ['sheet.xlsx', undefined, 'store'],
    ['paper.pdf', undefined, 'store'],
    ['font.woff2', undefined, 'store'],
    ['song.flac', undefined, 'store'],
    ['notes.txt', undefined, 'deflate'],
    ['main.ts', undefined, 'deflate'],
    ['data.json', 'application/json', 'deflate'],
    ['picture.bmp', 'image/bmp', 'deflate'],
    ['sound.wav', 'audio/wav', 'deflate'],
    ['drawing.svg', 'image/svg+xml', 'deflate'],
    ['no-extension', 'image/png', 'store'],
    ['blob.bin', 'video/quicktime', 'store'],
    ['blob.bin', 'audio/mpeg; codecs=mp3', 'store'],
    ['blob.bin', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'store'],
    ['blob.bin', 'application/zip', 'store'],
    ['blob.bin', 'application/octet-stream', 'deflate'],
    ['.png', undefined, 'deflate'],
    ['png', undefined, 'deflate'],
  ] as const)('auto: %s (%s) → %s', (name, mime, expected) => {
    expect(chooseMethod(name, mime, DEFAULT_POLICY)).toBe(expected);
  });

  it.each([
    ['store', 'notes.txt', 'store'],
    ['deflate', 'photo.jpg', 'deflate'],
  ] as const)('mode %s overrides the type (%s)', (mode, name, expected) => {
    expect(chooseMethod(name, undefined, { mode, level: 6 })).toBe(expected);
  });
});

function randomBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

const TEXT = new TextEncoder().encode('The quick brown fox jumps over the lazy dog. '.repeat(1500));

describe('looksIncompressible', () => {
  it('flags random data and passes text', () => {
    expect(looksIncompressible(randomBytes(PROBE_BYTES))).toBe(true);
    expect(looksIncompressible(TEXT.subarray(0, PROBE_BYTES))).toBe(false);
  });

  it('passes random-looking bytes that repeat, which deflate shrinks although their histogram is flat', () => {
    const block = randomBytes(PROBE_BYTES / 4);
    const repeated = new Uint8Array(PROBE_BYTES);
    for (let at = 0; at < PROBE_BYTES; at += block.length) repeated.set(block, at);
    expect(looksIncompressible(repeated)).toBe(false);
  });

  it('does not judge samples below the minimum', () => {
    expect(looksIncompressible(randomBytes(PROBE_MIN_BYTES - 1))).toBe(false);
  });
});

describe('probedMethod', () => {
  const random = randomBytes(PROBE_BYTES);

  it('stores data that does not compress when auto chose deflate', () => {
    const chosen = chooseMethod('keys.bin', undefined, DEFAULT_POLICY);
    expect(chosen).toBe('deflate');
    expect(probedMethod(chosen, DEFAULT_POLICY, random)).toBe('store');
    expect(probedMethod(chosen, DEFAULT_POLICY, TEXT)).toBe('deflate');
  });

  it('leaves an explicit mode alone', () => {
    expect(probedMethod('deflate', { mode: 'deflate', level: 6 }, random)).toBe('deflate');
    expect(worthProbing('deflate', { mode: 'deflate', level: 6 }, PROBE_BYTES)).toBe(false);
  });

  it('is worth reading the head only for auto-deflated files of probe size', () => {
    expect(worthProbing('deflate', DEFAULT_POLICY, PROBE_MIN_BYTES)).toBe(true);
    expect(worthProbing('deflate', DEFAULT_POLICY, PROBE_MIN_BYTES - 1)).toBe(false);
    expect(worthProbing('store', DEFAULT_POLICY, PROBE_BYTES)).toBe(false);
  });
});
