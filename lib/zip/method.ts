/**
 * Compression policy. Deflating data that is already compressed gains nothing
 * and runs at ≈20–30 MiB/s instead of ≈400 MiB/s for store (docs/zip-format.md#compression-throughput,
 * measured), so 'auto' stores such files and deflates the rest.
 */
import { deflateSync } from 'fflate';
import type { ZipMethod } from './records';

export interface CompressionPolicy {
  mode: 'auto' | 'store' | 'deflate';
  /** DEFLATE level 1 (fastest) .. 9 (smallest). */
  level: number;
}

/** Default: automatic choice at level 6, zlib's own default. */
export const DEFAULT_POLICY: CompressionPolicy = { mode: 'auto', level: 6 };

// Formats whose payload is already entropy-coded. Office Open XML, OpenDocument,
// EPUB, JAR/APK and friends are zip containers themselves. PDF is stored too:
// modern PDFs compress their streams (and xref streams since PDF 1.5), so
// deflate typically saves a few percent at a tenth of the speed.
const COMPRESSED_EXTENSIONS = new Set([
  // images
  'jpg',
  'jpeg',
  'jpe',
  'jfif',
  'png',
  'apng',
  'gif',
  'webp',
  'heic',
  'heif',
  'avif',
  'jxl',
  'jp2',
  // video ('.ts' is left out: TypeScript sources far outnumber MPEG transport streams)
  'mp4',
  'm4v',
  'mkv',
  'mov',
  'avi',
  'webm',
  'wmv',
  'flv',
  'mpg',
  'mpeg',
  'm2ts',
  '3gp',
  'ogv',
  // audio
  'mp3',
  'aac',
  'm4a',
  'ogg',
  'oga',
  'opus',
  'flac',
  'wma',
  'ape',
  'wv',
  // archives and compressed streams
  'zip',
  'zipx',
  '7z',
  'rar',
  'gz',
  'tgz',
  'bz2',
  'tbz',
  'tbz2',
  'xz',
  'txz',
  'zst',
  'tzst',
  'lz4',
  'lz',
  'lzma',
  'br',
  'z',
  'cab',
  'arj',
  'lzh',
  'dmg',
  'cbz',
  'cbr',
  'svgz',
  // zip-based containers
  'jar',
  'war',
  'apk',
  'aab',
  'ipa',
  'xpi',
  'crx',
  'docx',
  'xlsx',
  'pptx',
  'docm',
  'xlsm',
  'pptm',
  'odt',
  'ods',
  'odp',
  'odg',
  'epub',
  'vsix',
  'nupkg',
  'whl',
  'kmz',
  '3mf',
  // other
  'pdf',
  'woff',
  'woff2',
]);

// Under image/, video/ and audio/ these are raw or lightly coded and shrink well.
const COMPRESSIBLE_MEDIA = new Set([
  'image/bmp',
  'image/x-ms-bmp',
  'image/tiff',
  'image/svg+xml',
  'image/x-icon',
  'image/vnd.microsoft.icon',
  'image/x-portable-pixmap',
  'image/x-portable-graymap',
  'image/x-portable-bitmap',
  'image/x-xbitmap',
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/vnd.wave',
  'audio/aiff',
  'audio/x-aiff',
  'audio/basic',
  'audio/midi',
  'audio/x-midi',
]);

const COMPRESSED_MIME = new Set([
  'application/zip',
  'application/x-zip-compressed',
  'application/gzip',
  'application/x-gzip',
  'application/x-7z-compressed',
  'application/vnd.rar',
  'application/x-rar-compressed',
  'application/x-bzip2',
  'application/x-xz',
  'application/zstd',
  'application/pdf',
  'application/epub+zip',
  'application/java-archive',
  'application/vnd.android.package-archive',
  'font/woff',
  'font/woff2',
]);

function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function isCompressedMime(mimeType: string): boolean {
  const type = mimeType.split(';')[0]!.trim().toLowerCase();
  if (COMPRESSED_MIME.has(type) || type.startsWith('application/vnd.openxmlformats-officedocument.')) return true;
  if (type.startsWith('application/vnd.oasis.opendocument.')) return true;
  if (/^(image|video|audio)\//.test(type)) return !COMPRESSIBLE_MEDIA.has(type);
  return false;
}

/** 'store' or 'deflate' for one file under `policy`; the extension decides first, then the MIME type. */
export function chooseMethod(name: string, mimeType: string | undefined, policy: CompressionPolicy): ZipMethod {
  if (policy.mode !== 'auto') return policy.mode;
  const extension = extensionOf(name);
  if (COMPRESSED_EXTENSIONS.has(extension)) return 'store';
  if (mimeType && isCompressedMime(mimeType)) return 'store';
  return 'deflate';
}

/** Bytes at a file's start that the incompressibility probe looks at. */
export const PROBE_BYTES = 64 * 1024;
/**
 * Files smaller than this are not probed: deflating them costs little, and a
 * byte histogram of fewer bytes reads lower than the data's true entropy.
 */
export const PROBE_MIN_BYTES = 16 * 1024;
/**
 * Bits per byte above which a sample may be incompressible. Text and code sit
 * near 4–5.5, executables near 6; compressed or encrypted data near 8.
 */
const SUSPECT_ENTROPY = 7.5;
/** Deflate must save at least this share of the sample, or the file is stored (keeps archives ≤ 1.02× deflating everything). */
const MIN_SAVING = 0.02;

function entropyBitsPerByte(sample: Uint8Array): number {
  const counts = new Uint32Array(256);
  for (let i = 0; i < sample.length; i++) counts[sample[i]!]! += 1;
  let bits = 0;
  for (const count of counts) {
    if (count === 0) continue;
    const p = count / sample.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Whether `sample` (a file's first PROBE_BYTES) looks incompressible, so a
 * file the name and type called compressible (say random or encrypted `.bin`)
 * is stored instead of deflated at a tenth of the speed for nothing. Two steps,
 * cheapest first: a byte histogram clears ordinary data at once; a sample
 * that looks random is then deflated at level 1, which also sees repeats a
 * histogram cannot (the same random block twice).
 */
export function looksIncompressible(sample: Uint8Array): boolean {
  if (sample.length < PROBE_MIN_BYTES) return false;
  if (entropyBitsPerByte(sample) < SUSPECT_ENTROPY) return false;
  return deflateSync(sample, { level: 1 }).length > sample.length * (1 - MIN_SAVING);
}

/**
 * The method for a file whose first bytes are `head` (at least PROBE_BYTES of
 * them, or the whole file): `chosen` (from `chooseMethod`), unless 'auto'
 * picked deflate for data that does not compress.
 */
export function probedMethod(chosen: ZipMethod, policy: CompressionPolicy, head: Uint8Array): ZipMethod {
  if (policy.mode !== 'auto' || chosen !== 'deflate') return chosen;
  return looksIncompressible(head.subarray(0, PROBE_BYTES)) ? 'store' : chosen;
}

/** Whether `probedMethod` could change `chosen` for a file of `size` bytes (so reading its head first pays). */
export function worthProbing(chosen: ZipMethod, policy: CompressionPolicy, size: number): boolean {
  return policy.mode === 'auto' && chosen === 'deflate' && size >= PROBE_MIN_BYTES;
}
