/**
 * What the browser's own storage throws when the disk under the profile fills up, in
 * words the job can show. Chromium reports a generous quota even on a small disk
 * (`navigator.storage.estimate()` is not the free space), so a job's pre-check passes and
 * the writes fail later, in one of several ways:
 * - `QuotaExceededError` from an OPFS write or an IndexedDB transaction (File System
 *   Standard "write" steps; IndexedDB 3.0 §5.4 "quota");
 * - `NotFoundError` when the spool's files vanished under the job (Chromium clears an
 *   origin's storage it could not write: the handle then names nothing);
 * - `InvalidStateError`/`UnknownError` when the database connection closed or broke
 *   (IndexedDB 3.0 §4.1 "close a database connection" with forced flag);
 * - `AbortError` that the job did not cause: Chromium's OPFS writable rejects with "Failed to write
 *   data to data pipe" when the disk fills, and the transactions of a force-closed database abort
 *   (docs/browser-platform.md#a-full-disk-under-the-profile). The engine calls this only when its
 *   own signal was not aborted, so a user's cancel never lands here.
 */
import { AppError } from '../errors';

const DISK_ERRORS: Record<string, string> = {
  QuotaExceededError: 'The browser refused to store more data',
  NotFoundError: "The archive's data vanished from the browser's storage",
  InvalidStateError: 'The browser closed the job database',
  UnknownError: "The browser's storage failed",
  AbortError: "The browser stopped writing the archive's data",
};

/** The 'quota-exceeded' error for a storage failure, or undefined for anything else. */
export function asDiskError(error: unknown): AppError | undefined {
  if (!(error instanceof Error) || error instanceof AppError) return undefined;
  const summary = DISK_ERRORS[error.name];
  if (!summary) return undefined;
  return new AppError('quota-exceeded', `${summary} (${error.name}: ${error.message})`, { cause: error.name });
}
