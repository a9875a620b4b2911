/**
 * HTTP status → error code for WebDAV requests, in one place so every operation
 * reports the same way (the user-facing text comes from lib/user-message.ts).
 */
import { AppError, WebDavError } from '../errors';

/** Request methods that change the server; a 403 on them means the account cannot write. */
const WRITE_METHODS = new Set(['PUT', 'MKCOL', 'MOVE', 'COPY', 'DELETE', 'PROPPATCH', 'LOCK', 'UNLOCK']);

/**
 * The error for a WebDAV response with a failing status. 401 → wrong-credentials
 * (Cloudreve answers bad credentials with 401 without WWW-Authenticate, docs/cloudreve-api.md#webdav-endpoint);
 * 403 on a write → read-only (Cloudreve read-only accounts, §6); 507 → insufficient-storage (RFC 4918 §11.5).
 */
export function davStatusError(status: number, method: string, url: string): WebDavError {
  const details = { method, url };
  if (status === 401)
    return new WebDavError(
      'wrong-credentials',
      status,
      'The WebDAV server rejected the user name or password',
      details,
    );
  if (status === 403 && WRITE_METHODS.has(method.toUpperCase())) {
    return new WebDavError('read-only', status, 'The WebDAV account may not write here', details);
  }
  if (status === 507)
    return new WebDavError('insufficient-storage', status, 'The WebDAV server is out of space', details);
  return new WebDavError('webdav', status, `WebDAV ${method} answered HTTP ${status}`, details);
}

/**
 * Turns a failed `fetch` (DNS, refused connection, reset) into AppError 'network';
 * aborts and our own errors pass through unchanged.
 */
export function toNetworkError(error: unknown, url: string): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof DOMException && (error.name === 'AbortError' || error.name === 'TimeoutError')) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  if (error instanceof TypeError) {
    return new AppError('network', `Cannot reach the WebDAV server: ${error.message}`, {
      url,
      cause: String(error.cause ?? ''),
    });
  }
  return error;
}
