/**
 * Errors with string codes. Everything the extension throws on purpose is an
 * `AppError`; `toUserMessage` (lib/user-message.ts) is the one place that turns
 * one into text for a person. Errors cross the message boundary serialized
 * (`serializeError` / `deserializeError`) and surface as rejections.
 */

export type ErrorCode =
  // Connection and auth
  | 'network'
  // A job's request kept failing for its whole retry budget (lib/net/retry-policy.ts)
  | 'server-error'
  | 'server-unavailable'
  | 'not-cloudreve'
  | 'cloudreve-v3-unsupported'
  | 'host-permission-missing'
  | 'sign-in-required'
  | 'captcha-unsupported'
  | 'wrong-credentials'
  | 'forbidden-origin'
  // Cloudreve answered with an error code (see CloudreveError.serverCode)
  | 'cloudreve'
  | 'group-not-allowed'
  | 'destination-exists'
  | 'not-found'
  // WebDAV answered with an HTTP error (see WebDavError.status)
  | 'webdav'
  | 'read-only'
  | 'insufficient-storage'
  | 'webdav-not-allowed'
  // Selection and input
  | 'selection-unavailable'
  | 'selection-empty'
  | 'account-mismatch'
  | 'page-signed-out'
  | 'redirect-refused'
  | 'download-refused'
  | 'invalid-name'
  | 'invalid-uri'
  | 'unsupported-policy'
  // A storage provider behind a Cloudreve policy (S3, OneDrive, …) answered with an error
  | 'storage-provider'
  // Engine
  | 'zip'
  | 'quota-exceeded'
  | 'stalled'
  | 'archive-too-large'
  // A split archive: Cloudreve's archive task writes one file, so the browser makes it; a part size too small
  | 'split-in-browser'
  | 'invalid-split'
  | 'job-lost'
  | 'size-mismatch'
  | 'source-changed'
  | 'unreadable'
  | 'unsafe-listing'
  | 'cancelled'
  | 'internal';

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * An error envelope from the Cloudreve API (`{code, msg, correlation_id}`; docs/cloudreve-api.md#response-envelope).
 */
export class CloudreveError extends AppError {
  override name = 'CloudreveError';
  constructor(
    code: ErrorCode,
    readonly serverCode: number,
    message: string,
    readonly correlationId?: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, { ...details, serverCode, correlationId });
  }
}

/** A WebDAV request answered with an HTTP error status. */
export class WebDavError extends AppError {
  override name = 'WebDavError';
  constructor(
    code: ErrorCode,
    readonly status: number,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, { ...details, status });
  }
}

export class ZipError extends AppError {
  override name = 'ZipError';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('zip', message, details);
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export function isCancelled(error: unknown): boolean {
  return (
    (error instanceof AppError && error.code === 'cancelled') ||
    (error instanceof DOMException && error.name === 'AbortError')
  );
}

/** Plain-object form of an error, safe for structured clone and `chrome.storage`. */
export interface SerializedError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details };
  if (error instanceof DOMException && error.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled' };
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) {
    return { code: 'network', message: error.message };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export function deserializeError(error: SerializedError): AppError {
  return new AppError(error.code, error.message, error.details ?? {});
}
