/**
 * Never a mix of old and new bytes: a download that resumes must continue the
 * same version of the file it started. The first response's validators (a
 * strong ETag, else Last-Modified; RFC 9110 §8.8) go out again as `If-Range`
 * (§13.1.5), so a server whose file changed answers 200 with the new file
 * instead of 206 with a piece of it; every answer's size is compared with the
 * size being read. A change becomes AppError 'source-changed', which makes the
 * engine read the file again from its start (lib/jobs/browser-archive.ts).
 */
import { AppError } from '../errors';
import type { SourceEntry } from './types';

/** What identifies one version of a file, as far as the server said. */
export interface FileVersion {
  /** A strong entity tag; weak ones (`W/"…"`) may not be used in If-Range (§13.1.5). */
  etag?: string;
  lastModified?: string;
  /** The whole file's length, from Content-Length (200) or Content-Range (206, 416). */
  size?: number;
}

/** The version of the file a response describes, as far as its headers say. */
export function versionOf(response: Response): FileVersion {
  const version: FileVersion = {};
  const etag = response.headers.get('ETag');
  if (etag && !etag.startsWith('W/')) version.etag = etag;
  const lastModified = response.headers.get('Last-Modified');
  if (lastModified) version.lastModified = lastModified;
  const range = response.headers.get('Content-Range');
  const total = range && /\/(\d+)\s*$/.exec(range);
  if (total) version.size = Number(total[1]);
  else if (response.status === 200) {
    const length = response.headers.get('Content-Length');
    // A compressed transfer's length is not the file's (Fetch decodes the body).
    if (length !== null && !response.headers.get('Content-Encoding')) version.size = Number(length);
  }
  return version;
}

/** The If-Range value for resuming `version`, or undefined when the server gave no validator. */
export function ifRangeOf(version: FileVersion | undefined): string | undefined {
  return version?.etag ?? version?.lastModified;
}

/** The error for a file that is no longer the version being read; `actual` is its size now, when known. */
export function changedError(entry: SourceEntry, what: string, actual?: number): AppError {
  return new AppError('source-changed', `"${entry.name}" changed while being archived: ${what}`, {
    name: entry.name,
    expected: entry.size,
    ...(actual !== undefined ? { actual } : {}),
  });
}

/**
 * Checks the first response for `entry` (offset 0): a size other than the
 * listed one means the file changed since the listing. Returns its version.
 */
export function checkFirst(entry: SourceEntry, response: Response): FileVersion {
  const version = versionOf(response);
  if (version.size !== undefined && version.size !== entry.size) {
    throw changedError(entry, `listed with ${entry.size} bytes, now ${version.size}`, version.size);
  }
  return version;
}

/**
 * Checks an answer to a resumed request from byte `from` against the version
 * read so far. Returns 'partial' when it continues that version (206), 'whole'
 * when the server ignored Range but sent the same version (drop `from` bytes);
 * throws 'source-changed' otherwise.
 */
export function checkResumed(
  entry: SourceEntry,
  first: FileVersion | undefined,
  response: Response,
  from: number,
): 'partial' | 'whole' {
  const now = versionOf(response);
  const size = first?.size ?? entry.size;
  if (response.status === 416) {
    throw changedError(entry, `now shorter than the ${from} bytes already read`, now.size);
  }
  const sameTag = !first?.etag || !now.etag || first.etag === now.etag;
  const sameDate = !first?.lastModified || !now.lastModified || first.lastModified === now.lastModified;
  if (now.size !== undefined && now.size !== size) {
    throw changedError(entry, `${size} bytes when reading began, now ${now.size}`, now.size);
  }
  if (!sameTag || !sameDate) throw changedError(entry, 'its version on the server is new', now.size);
  if (response.status === 206) return 'partial';
  // 200 although If-Range named this version: the server ignores Range (RFC 9110 §14.2 allows it).
  return 'whole';
}
