/**
 * One file's download for an archive source, shared by the Cloudreve and WebDAV
 * sources: a body that breaks is asked for again from the last byte delivered
 * (`Range`, RFC 9110 §14.2; lib/archive/resumable-body.ts), and every answer is
 * checked to continue the version of the file the first one began
 * (lib/archive/file-version.ts): never a splice of two versions, nor of the wrong
 * piece of one (a 206 whose Content-Range starts elsewhere, §14.4).
 */
import type { SourceEntry } from '../archive/types';
import { downloadBuffers, readInto, type ChunkReader } from '../bytes';
import { AppError } from '../errors';
import {
  changedError,
  checkFirst,
  checkResumed,
  ifRangeOf,
  versionOf,
  type FileVersion,
} from '../archive/file-version';
import { resumableBody, skipBytes, type ResumeOptions } from '../archive/resumable-body';

export interface DownloadOptions extends Omit<ResumeOptions, 'entry' | 'offset' | 'signal' | 'reopen'> {
  /**
   * One GET of the file from byte `from` (`Range` from byte 1 on, with `ifRange` as
   * `If-Range` when given), after the source's own request retries: a 2xx or 416
   * answer, or null when the file is gone.
   */
  get(from: number, ifRange: string | undefined): Promise<Response | null>;
}

const empty = () => new ReadableStream<Uint8Array>({ start: (c) => c.close() });

/**
 * Files larger than this are read into reused buffers (lib/bytes.ts `downloadBuffers`).
 * Smaller ones are read ahead whole and held until written (lib/archive/zip-entries.ts,
 * at most 8 MiB): each of their chunks would pin a whole 256 KiB buffer.
 */
const POOLED_ABOVE = 8 * 1024 * 1024;

/** `entry` from byte `offset`, resumed across breaks; null when the file is gone. */
export async function openDownload(
  entry: SourceEntry,
  offset: number,
  signal: AbortSignal,
  options: DownloadOptions,
): Promise<ReadableStream<Uint8Array> | null> {
  /** The version being read: set by the first answer, sent back as If-Range, checked on every resumed one. */
  let version: FileVersion | undefined;
  const reader = (body: ReadableStream<Uint8Array>): ChunkReader =>
    entry.size > POOLED_ABOVE ? readInto(body, downloadBuffers) : body.getReader();
  const readerFrom = async (from: number): Promise<ChunkReader | null> => {
    const response = await options.get(from, ifRangeOf(version));
    if (!response) return null;
    const body = response.body ?? empty();
    try {
      if (response.status === 416) {
        // Range starting at the end of the file: nothing left to read (RFC 9110 §15.5.17).
        if (from >= entry.size) return (await body.cancel(), empty().getReader());
        throw changedError(entry, `now shorter than the ${from} bytes already read`, versionOf(response).size);
      }
      if (from === 0) version = checkFirst(entry, response);
      // 200 to a Range request: the server ignored it but sent the same version; drop what we have.
      else if (checkResumed(entry, version, response, from) === 'whole')
        return reader(body.pipeThrough(skipBytes(from)));
      const range = response.headers.get('Content-Range');
      if (from > 0 && range && !range.startsWith(`bytes ${from}-`)) {
        throw new AppError('server-error', `Unexpected Content-Range "${range}" for ${entry.name}`);
      }
      return reader(body);
    } catch (error) {
      await body.cancel();
      throw error;
    }
  };
  const first = await readerFrom(offset);
  return first && resumableBody(first, { ...options, entry, offset, signal, reopen: readerFrom });
}
