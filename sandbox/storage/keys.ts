/**
 * Provider-side credentials and signatures the stand-ins use, in the providers' own formats
 * (what the Go drivers compute; cloudreve/cloudreve `pkg/filemanager/driver/qiniu/qiniu.go`
 * via the Qiniu SDK's `PutPolicy.UploadToken`, `pkg/filemanager/driver/upyun/upyun.go` `sign`).
 */
import { createHash, createHmac } from 'node:crypto';

/** The stand-in providers' access key pair (one per sandbox run is enough). */
export interface ProviderKeys {
  accessKey: string;
  secretKey: string;
}

/** Qiniu upload token: `ak:base64url(hmac-sha1(sk, encodedPolicy)):encodedPolicy`. */
export function qiniuUploadToken(keys: ProviderKeys, policy: object): string {
  const encoded = Buffer.from(JSON.stringify(policy)).toString('base64url');
  const sign = createHmac('sha1', keys.secretKey).update(encoded).digest('base64url');
  return `${keys.accessKey}:${sign}:${encoded}`;
}

/** The policy inside a Qiniu upload token, if the token is ours. */
export function readQiniuToken(keys: ProviderKeys, token: string): Record<string, unknown> | null {
  const [ak, sign, encoded] = token.split(':');
  if (ak !== keys.accessKey || !encoded) return null;
  if (createHmac('sha1', keys.secretKey).update(encoded).digest('base64url') !== sign) return null;
  return JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Upyun: `UPYUN ak:base64(hmac-sha1(md5hex(sk), elements.join('&')))` (driver/upyun `sign`). */
export function upyunSign(keys: ProviderKeys, elements: string[]): string {
  const password = createHash('md5').update(keys.secretKey).digest('hex');
  const sign = createHmac('sha1', password).update(elements.join('&')).digest('base64');
  return `UPYUN ${keys.accessKey}:${sign}`;
}

/** Signature of a provider's callback to Cloudreve (Qiniu "QBox ak:sign" over path and body). */
export function callbackSignature(keys: ProviderKeys, path: string, body: string): string {
  const sign = createHmac('sha1', keys.secretKey).update(`${path}\n${body}`).digest('base64url');
  return `QBox ${keys.accessKey}:${sign}`;
}
