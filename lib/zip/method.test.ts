import { describe, expect, it } from 'vitest';
import { chooseMethod, DEFAULT_POLICY } from './method';

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
