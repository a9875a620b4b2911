/**
 * Which failures sink only one file (or folder) and which sink the job.
 * Cloudreve's own archive task skips a file it cannot read and counts it
 * (cloudreve/cloudreve `pkg/filemanager/manager/archive.go`, CreateArchive:
 * `failed++`, "skipping it..."); we skip it too, but keep which one and why.
 *
 * A server that answered about this one file (a 4xx, a 5xx that retries did
 * not cure, a file that vanished or changed) is the file's problem. A server
 * that cannot be reached, refuses the credentials or is unavailable as a whole
 * (502/503/504) would fail every file alike: that fails the job instead.
 */
import { AppError, isAppError, type ErrorCode } from '../errors';

/** A file or folder left out of the archive, and why (the job's record, the popup, the CLI). */
export interface UnreadableItem {
  /** Its path inside the archive-to-be (the listing's name). */
  path: string;
  kind: 'file' | 'folder';
  /** The error's code: 'source-changed', 'not-found', 'webdav', 'cloudreve', … */
  code: ErrorCode;
  /** What happened, in the words of the error (real sizes, the HTTP status). */
  reason: string;
}

/** Statuses that speak for the whole server, not for one file. */
const SERVER_WIDE = new Set([401, 407, 408, 429, 502, 503, 504]);

/** Whether `error`, after the source's own retries, means only this item cannot be read. */
export function isUnreadable(error: unknown): boolean {
  if (!isAppError(error)) return false;
  if (error.code === 'source-changed' || error.code === 'not-found' || error.code === 'unreadable') return true;
  if (error.code !== 'webdav' && error.code !== 'cloudreve') return false;
  // A Cloudreve API refusal about this item (4xxxx codes: permission, lock, missing entity).
  const serverCode = error.details.serverCode;
  if (typeof serverCode === 'number') return serverCode >= 40000 && serverCode < 50000;
  const status = error.details.status;
  return typeof status === 'number' && status >= 400 && !SERVER_WIDE.has(status);
}

/** The record of an item skipped because of `error`. */
export function unreadableItem(path: string, kind: UnreadableItem['kind'], error: unknown): UnreadableItem {
  const code = isAppError(error) ? error.code : 'internal';
  const reason = error instanceof Error ? error.message : String(error);
  return { path, kind, code, reason };
}

/** The error that ends a job whose user asked to stop on the first item that cannot be read. */
export function unreadableError(item: UnreadableItem): AppError {
  return new AppError('unreadable', `${item.path}: ${item.reason}`, { path: item.path, cause: item.code });
}
