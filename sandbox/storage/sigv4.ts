/**
 * AWS Signature Version 4 query-string signing ("presigned URLs") with node:crypto, as the
 * Go server's S3 driver presigns part and completion URLs (cloudreve/cloudreve
 * `pkg/filemanager/driver/s3/s3.go` `Token`). Only `host` is signed and the payload is
 * `UNSIGNED-PAYLOAD`, so the browser sets the body and its length freely.
 * Spec: AWS S3 API Reference, "Authenticating Requests: Using Query Parameters (AWS
 * Signature Version 4)".
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface S3Credentials {
  accessKey: string;
  secretKey: string;
  region: string;
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical URI: each decoded path segment encoded once, slashes kept (S3 does not double-encode). */
function canonicalPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join('/');
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [encodeRfc3986(key), encodeRfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

function signature(method: string, url: URL, host: string, credentials: S3Credentials): string {
  const amzDate = url.searchParams.get('X-Amz-Date') ?? '';
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${credentials.region}/s3/aws4_request`;
  const canonicalRequest = [
    method,
    canonicalPath(url.pathname),
    canonicalQuery(url.searchParams),
    `host:${host}\n`,
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretKey}`, day), credentials.region), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

/** `url` with SigV4 query authentication for `method`, valid `expiresSeconds` from `now`. */
export function presign(
  method: string,
  target: string,
  credentials: S3Credentials,
  expiresSeconds: number,
  now = new Date(),
): string {
  const url = new URL(target);
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  url.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
  url.searchParams.set(
    'X-Amz-Credential',
    `${credentials.accessKey}/${amzDate.slice(0, 8)}/${credentials.region}/s3/aws4_request`,
  );
  url.searchParams.set('X-Amz-Date', amzDate);
  url.searchParams.set('X-Amz-Expires', String(Math.max(1, Math.floor(expiresSeconds))));
  url.searchParams.set('X-Amz-SignedHeaders', 'host');
  url.searchParams.set('X-Amz-Signature', signature(method, url, url.host, credentials));
  return url.href;
}

export type PresignCheck = 'valid' | 'unsigned' | 'expired' | 'mismatch';

/** Checks a request's query signature as S3 does: same method, path, query and host, not expired. */
export function checkPresigned(
  method: string,
  url: URL,
  host: string,
  credentials: S3Credentials,
  now = Date.now(),
): PresignCheck {
  const provided = url.searchParams.get('X-Amz-Signature');
  if (!provided || url.searchParams.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'unsigned';
  if (url.searchParams.get('X-Amz-SignedHeaders') !== 'host') return 'mismatch';
  if (!url.searchParams.get('X-Amz-Credential')?.startsWith(`${credentials.accessKey}/`)) return 'mismatch';
  const expected = Buffer.from(signature(method, url, host, credentials));
  if (expected.length !== provided.length || !timingSafeEqual(expected, Buffer.from(provided))) return 'mismatch';
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(url.searchParams.get('X-Amz-Date') ?? '');
  if (!date) return 'mismatch';
  const signedAt = Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!);
  return now > signedAt + Number(url.searchParams.get('X-Amz-Expires')) * 1000 ? 'expired' : 'valid';
}
