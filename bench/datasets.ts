/**
 * The benchmark's data sets, generated deterministically at run time (the
 * same bytes on every run and machine) into a folder the caller removes.
 * Random bytes come from AES-128-CTR over zeros with a fixed key: as
 * incompressible as real media, and fast to make.
 */
import { createCipheriv } from 'node:crypto';
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Suffixes that both our "auto" policy and Info-ZIP's `-n` store without trying to deflate. */
export const MEDIA_SUFFIXES = [
  '.jpg',
  '.jpeg',
  '.png',
  '.gif',
  '.webp',
  '.mp4',
  '.mkv',
  '.mov',
  '.mp3',
  '.zip',
  '.7z',
  '.gz',
  '.rar',
  '.pdf',
];

/** A deterministic stream of incompressible bytes, named by `seed`. */
export function randomBytesFor(seed: string): (length: number) => Buffer {
  const key = Buffer.alloc(16);
  key.write(seed.padEnd(16, '.').slice(0, 16));
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  return (length) => cipher.update(Buffer.alloc(length));
}

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
}

/** English-like text of about `length` characters. */
function textMaker(seed: number): (length: number) => string {
  const next = lcg(seed);
  const vocabulary =
    'the of and to in is that for it as with was on be by this are from or at an which not have but all can'
      .split(' ')
      .concat(Array.from({ length: 400 }, (_, i) => `word${(i * 7919) % 10007}`));
  return (length) => {
    let text = '';
    while (text.length < length) text += vocabulary[next() % vocabulary.length] + (next() % 13 ? ' ' : '.\n');
    return text;
  };
}

export interface DataSet {
  /** One line for BENCHMARKS.md. */
  description: string;
  files: number;
  bytes: number;
}

/**
 * The mixed set: `media` × 8 MiB random files named .jpg/.mp4 (stored by
 * suffix), `texts` text files of 2–40 kB in 30 folders (deflated), an empty
 * file and empty folders.
 */
export async function makeMixedSet(dir: string, media: number, texts: number): Promise<DataSet> {
  const random = randomBytesFor('mixed');
  await mkdir(join(dir, 'media'), { recursive: true });
  let bytes = 0;
  for (let i = 0; i < media; i++) {
    await writeFile(join(dir, 'media', `clip-${i}.${i % 2 ? 'mp4' : 'jpg'}`), random(8 * 2 ** 20));
    bytes += 8 * 2 ** 20;
  }
  const next = lcg(7);
  const text = textMaker(11);
  const perFolder = Math.ceil(texts / 30);
  for (let f = 0; f < texts; f++) {
    const folder = join(dir, 'text', `chapter ${Math.floor(f / perFolder)}`);
    if (f % perFolder === 0) await mkdir(folder, { recursive: true });
    const content = text(2000 + (next() % 38000));
    await writeFile(join(folder, `note-${f % perFolder}.${['txt', 'json', 'ts', 'md'][f % 4]}`), content);
    bytes += content.length;
  }
  await mkdir(join(dir, 'empty', 'nested'), { recursive: true });
  await writeFile(join(dir, 'empty', 'zero.txt'), '');
  return {
    description: `${media} × 8 MiB random media (.jpg/.mp4), ${texts.toLocaleString('en')} text files of 2–40 kB in 30 folders, an empty file and folders`,
    files: media + texts + 1,
    bytes,
  };
}

/** Incompressible data without a media suffix: `count` × 8 MiB random `.bin` files. */
export async function makeRandomBinSet(dir: string, count: number): Promise<DataSet> {
  const random = randomBytesFor('bin');
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(join(dir, `blob-${i}.bin`), random(8 * 2 ** 20));
  return {
    description: `${count} × 8 MiB random bytes named .bin`,
    files: count,
    bytes: count * 8 * 2 ** 20,
  };
}

/** Big media: `count` random `.mp4` files of `size` bytes. */
export async function makeBigMedia(dir: string, count: number, size: number): Promise<DataSet> {
  const random = randomBytesFor('video');
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < size; at += 64 * 2 ** 20) chunks.push(random(Math.min(64 * 2 ** 20, size - at)));
    await writeFile(join(dir, `video-${i}.mp4`), Buffer.concat(chunks));
  }
  return {
    description: `${count} × ${size / 2 ** 20} MiB random .mp4`,
    files: count,
    bytes: count * size,
  };
}

/** Sparse `.mp4` files (holes read as zeros): archives of many GiB without writing them to disk first. */
export async function makeSparseMedia(dir: string, count: number, size: number): Promise<DataSet> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const path = join(dir, `video-${i}.mp4`);
    await writeFile(path, '');
    await truncate(path, size);
  }
  return {
    description: `${count} × ${size / 2 ** 30} GiB sparse .mp4 (zeros, stored by suffix)`,
    files: count,
    bytes: count * size,
  };
}

/** Many small files: `count` text files of 4 KiB in folders of 1,000. */
export async function makeSmallFiles(dir: string, count: number): Promise<DataSet> {
  const text = textMaker(23);
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `part-${String(Math.floor(i / 1000)).padStart(2, '0')}`);
    if (i % 1000 === 0) await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `file-${i}.txt`), text(4096).slice(0, 4096));
  }
  return {
    description: `${count.toLocaleString('en')} × 4 KiB text files in folders of 1,000`,
    files: count,
    bytes: count * 4096,
  };
}
