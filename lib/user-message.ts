/**
 * The one place that turns errors into text for a person (style.md:
 * "errors with codes and one place that turns them into user text").
 */
import type { ErrorCode } from './errors';
import { t } from './i18n';
import type { Job } from './jobs/types';
import { showHidden } from './visible-text';

const MESSAGES: Record<ErrorCode, [key: string, english: string]> = {
  network: ['errNetwork', 'The server could not be reached. Check the address and your connection.'],
  'server-error': ['errServerError', 'The server kept answering with an error, so the job stopped: $1'],
  'server-unavailable': [
    'errServerUnavailable',
    'The server did not come back within 30 minutes, so the job stopped. Retry it when the server is back. ($1)',
  ],
  'not-cloudreve': [
    'errNotCloudreve',
    'No Cloudreve v4 server answers at this address. You can connect it as a WebDAV server instead.',
  ],
  'cloudreve-v3-unsupported': [
    'errCloudreveV3',
    'Cloudreve v3 is not supported. Connect it as a WebDAV server instead.',
  ],
  'host-permission-missing': [
    'errHostPermission',
    'The extension has no access to this server yet. Grant access in the options page.',
  ],
  'sign-in-required': ['errSignIn', 'Sign in again: your session on this server has ended.'],
  'captcha-unsupported': [
    'errCaptcha',
    'This server uses a captcha only its web page can show. Sign in on the page instead.',
  ],
  'wrong-credentials': ['errCredentials', 'Wrong email, password or code.'],
  'forbidden-origin': ['errForbiddenOrigin', 'Refused: this request did not come from the server it concerns.'],
  cloudreve: ['errCloudreve', 'The server refused: $1'],
  'group-not-allowed': ['errGroupNotAllowed', 'Your user group may not create archives on the server.'],
  'destination-exists': ['errDestinationExists', 'A file with this name already exists and was left untouched.'],
  'not-found': ['errNotFound', 'Not found on the server: it may have been moved or deleted.'],
  webdav: ['errWebdav', 'The WebDAV server answered with an error: $1'],
  'unsafe-listing': ['errUnsafeListing', 'Left out for safety: $1'],
  'read-only': ['errReadOnly', 'This account can only read: the archive cannot be stored with it.'],
  'insufficient-storage': ['errInsufficientStorage', 'The server has no space left for the archive.'],
  'webdav-not-allowed': ['errWebdavNotAllowed', 'Your user group may not use WebDAV on this server.'],
  'selection-unavailable': [
    'errSelectionUnavailable',
    'The selection could not be read from the page. Reload the page and select again.',
  ],
  'selection-empty': ['errSelectionEmpty', 'Nothing is selected.'],
  'account-mismatch': [
    'errAccountMismatch',
    'This page is signed in with another account than the extension. Sign out in the extension’s popup, then try again.',
  ],
  'page-signed-out': [
    'errPageSignedOut',
    'Sign in on this page first: the extension archives only for the account signed in here.',
  ],
  'redirect-refused': [
    'errRedirectRefused',
    'The server answered with a redirect ($1). The extension does not follow redirects of the server’s API: check the server address.',
  ],
  'download-refused': ['errDownloadRefused', 'The download was not started: $1'],
  'invalid-name': ['errInvalidName', 'This name cannot be used for a file.'],
  'invalid-uri': ['errInvalidUri', 'This is not a valid Cloudreve address: $1'],
  'unsupported-policy': [
    'errUnsupportedPolicy',
    'The storage policy of this folder cannot take uploads from the extension: $1',
  ],
  'storage-provider': ['errStorageProvider', 'The storage service behind this folder refused the upload: $1'],
  zip: ['errZip', 'The archive could not be written: $1'],
  'quota-exceeded': ['errQuota', 'Not enough free space in the browser to build this archive.'],
  'archive-too-large': ['errArchiveTooLarge', 'The archive is larger than the destination folder accepts: $1'],
  'split-in-browser': [
    'errSplitInBrowser',
    'A split archive is made in the browser: the server’s archive task can only write one file.',
  ],
  'invalid-split': ['errInvalidSplit', 'A part must be a size of at least 64 KiB, like 4G or 700M.'],
  stalled: ['errStalled', 'The job made no progress for a long time and was stopped. Retry it to continue: $1'],
  'job-lost': [
    'errJobLost',
    'The browser deleted this job’s data while it ran, most likely because the disk was full. Free some space and start it again.',
  ],
  'size-mismatch': ['errSizeMismatch', 'The stored archive has the wrong size; it was not kept.'],
  'source-changed': ['errSourceChanged', 'A file changed while it was being archived: $1'],
  unreadable: ['errUnreadable', 'A file or folder could not be read: $1'],
  cancelled: ['errCancelled', 'Cancelled.'],
  internal: ['errInternal', 'Something went wrong: $1'],
};

/** The code and message of whatever was thrown or received (an `AppError`, a serialized error, anything). */
function readError(error: unknown): { code: string; message: string } {
  if (typeof error !== 'object' || error === null) return { code: 'internal', message: String(error) };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { code: typeof code === 'string' ? code : 'internal', message: typeof message === 'string' ? message : '' };
}

/** The error's code; `internal` when it has none. */
export function errorCodeOf(error: unknown): string {
  return readError(error).code;
}

/** User text for an error (a serialized one from the worker, or a live one). */
export function toUserMessage(error: unknown): string {
  const { code, message } = readError(error);
  const [key, english] = Object.hasOwn(MESSAGES, code) ? MESSAGES[code as ErrorCode] : MESSAGES.internal;
  return t(key, english, [message]);
}

/** Title and body of the notification for a finished job. */
export function jobHeadline(job: Job): { title: string; message: string } {
  const done = job.kind === 'browser' ? job.phase === 'done' : job.status === 'completed';
  if (done) {
    const name = showHidden(job.result?.name ?? job.name);
    const skipped = job.kind === 'browser' ? job.progress.skipped : (job.failedFiles ?? 0);
    if (skipped === 0) return { title: t('notifyDoneTitle', 'Archive ready'), message: name };
    const unreadable =
      skipped === 1
        ? t('unreadableOne', '1 file could not be read')
        : t('unreadableMany', '$1 files could not be read', [skipped]);
    return {
      title: t('notifyDoneTitle', 'Archive ready'),
      message: t('notifyDoneUnreadable', '$1 — $2', [name, unreadable]),
    };
  }
  const cancelled = job.kind === 'browser' ? job.phase === 'cancelled' : job.status === 'canceled';
  if (cancelled) return { title: t('notifyCancelledTitle', 'Archive cancelled'), message: showHidden(job.name) };
  return {
    title: t('notifyFailedTitle', 'Archive failed: $1', [showHidden(job.name)]),
    message: job.error ? toUserMessage(job.error) : showHidden(job.name),
  };
}
