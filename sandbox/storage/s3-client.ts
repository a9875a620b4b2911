/**
 * What the sandbox's `s3` policy asks of its bucket, as the Go driver does with the AWS SDK
 * (cloudreve/cloudreve `pkg/filemanager/driver/s3/s3.go`): `Meta` (HEAD), `Token`
 * (CreateMultipartUpload, presigned UploadPart and CompleteMultipartUpload URLs),
 * `CancelToken` (AbortMultipartUpload) and reading the finished object. Every request is
 * presigned with SigV4 (sandbox/storage/sigv4.ts).
 */
import type { S3PolicyConfig } from '../config';
import { presign } from './sigv4';

/** Presigned URLs live as long as the session (BE `signedReq.Presign(time.Until(ExpireAt))`); S3 allows a week at most. */
const MAX_PRESIGN_SECONDS = 604800;

export function createS3Client(config: S3PolicyConfig) {
  const objectUrl = (key: string, query = '') =>
    `${config.endpoint}/${config.bucket}/${key.split('/').map(encodeURIComponent).join('/')}${query}`;
  const signed = (method: string, url: string, seconds = 300) =>
    presign(method, url, config, Math.min(seconds, MAX_PRESIGN_SECONDS));

  async function send(method: string, url: string, body?: string): Promise<Response> {
    return fetch(signed(method, url), { method, body });
  }

  return {
    /** Object size, or null when there is no object. */
    async head(key: string): Promise<number | null> {
      const res = await send('HEAD', objectUrl(key));
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`HEAD ${key}: HTTP ${res.status}`);
      return Number(res.headers.get('content-length'));
    },
    async get(key: string): Promise<Uint8Array> {
      const res = await send('GET', objectUrl(key));
      if (!res.ok) throw new Error(`GET ${key}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
    async createMultipartUpload(key: string): Promise<string> {
      const res = await send('POST', objectUrl(key, '?uploads'));
      const text = await res.text();
      const id = /<UploadId>([^<]+)<\/UploadId>/.exec(text)?.[1];
      if (!res.ok || !id) throw new Error(`CreateMultipartUpload ${key}: HTTP ${res.status} ${text}`);
      return id;
    },
    async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
      const res = await send('DELETE', objectUrl(key, `?uploadId=${encodeURIComponent(uploadId)}`));
      await res.arrayBuffer();
      if (!res.ok && res.status !== 404) throw new Error(`AbortMultipartUpload ${key}: HTTP ${res.status}`);
    },
    partUrl: (key: string, uploadId: string, partNumber: number, seconds: number) =>
      signed('PUT', objectUrl(key, `?partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}`), seconds),
    completeUrl: (key: string, uploadId: string, seconds: number) =>
      signed('POST', objectUrl(key, `?uploadId=${encodeURIComponent(uploadId)}`), seconds),
  };
}
