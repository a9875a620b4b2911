/**
 * Stand-ins for the OneDrive, Qiniu and Upyun upload APIs, served on the sandbox's second
 * loopback origin (the "storage origin"), with the request and response shapes Cloudreve's
 * web app relies on (cloudreve/frontend `src/component/Uploader/core/api/index.ts`,
 * `core/types.ts`) and the providers' documented rules:
 * - OneDrive (Microsoft Graph "Upload large files with an upload session"): `PUT uploadUrl`
 *   with `Content-Range: bytes a-b/total`, fragments in order and a multiple of 320 KiB
 *   except the last; 202 `{expirationDateTime, nextExpectedRanges}`, the last one 201 with the
 *   item; a fragment that does not start at the next expected byte answers 416
 *   `{error: {code: "invalidRange", innererror: {code: "fragmentOverlap"}}}`; `GET` answers
 *   the status, `DELETE` ends the session.
 * - Qiniu multipart upload v2: `PUT {url}/{partNumber}` with `Authorization: UpToken …`
 *   answers `{etag, md5}`; `POST {url}` with `{parts: [{etag, partNumber}], mimeType}`
 *   assembles the object, then calls the put policy's `callbackUrl` and answers its body
 *   (579 when the callback fails); a finished or unknown upload answers 612.
 * - Upyun form API: `POST /{bucket}` multipart/form-data (`policy`, `authorization`, `file`
 *   last), checked against the policy's `content-length`; answers `{code: 200, …}` and then
 *   notifies `notify-url`.
 * The callbacks to Cloudreve are signed with the stand-in keys (sandbox/storage/keys.ts).
 */
import { createHash } from 'node:crypto';
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../context';
import { readBody } from '../http';
import type { UploadSession } from '../state';
import { callbackSignature, readQiniuToken, upyunSign } from './keys';

/** Graph: fragments other than the last must be a multiple of 320 KiB. */
export const ONEDRIVE_FRAGMENT_UNIT = 320 * 1024;
/** Qiniu v2: every part but the last is at least 1 MiB. */
export const QINIU_MIN_PART = 1024 * 1024;

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag',
};

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...CORS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sessionWhere(app: App, match: (session: UploadSession) => boolean): UploadSession | undefined {
  for (const session of app.state.uploads.values()) if (session.provider && match(session)) return session;
  return undefined;
}

async function writeAt(path: string, data: Buffer, offset: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.write(data, 0, data.length, offset);
  } finally {
    await handle.close();
  }
}

/** The provider calls Cloudreve back (over HTTP, as the real service does). */
async function callBack(app: App, url: string, body: string, contentType: string): Promise<Response> {
  const path = new URL(url).pathname;
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': contentType, Authorization: callbackSignature(app.providerKeys, path, body) },
    body,
  });
}

async function oneDrive(app: App, req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
  const session = sessionWhere(app, (s) => s.provider!.type === 'onedrive' && s.provider!.uploadId === token);
  if (!session || session.expiresAt <= Date.now()) {
    req.resume();
    return json(res, 404, { error: { code: 'itemNotFound', message: 'The upload session was not found' } });
  }
  const provider = session.provider!;
  const status = () => ({
    expirationDateTime: new Date(session.expiresAt).toISOString(),
    nextExpectedRanges: provider.stored ? [] : [`${provider.nextByte}-${session.size - 1}`],
  });
  if (req.method === 'GET') return (req.resume(), json(res, 200, status()));
  if (req.method === 'DELETE') {
    req.resume();
    provider.uploadId = '';
    return void res.writeHead(204, CORS).end();
  }
  if (req.method !== 'PUT') return (req.resume(), json(res, 405, { error: { code: 'invalidRequest' } }));
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(req.headers['content-range'] ?? '');
  const length = Number(req.headers['content-length']);
  if (!range || Number(range[3]) !== session.size || Number(range[2]) - Number(range[1]) + 1 !== length) {
    req.resume();
    return json(res, 400, { error: { code: 'invalidRequest', message: 'Invalid Content-Range' } });
  }
  const start = Number(range[1]);
  const end = Number(range[2]);
  if (start !== provider.nextByte || provider.stored) {
    req.resume();
    return json(res, 416, {
      error: {
        code: 'invalidRange',
        message: 'The uploaded fragment overlaps with data that has already been received.',
        innererror: { code: 'fragmentOverlap' },
      },
    });
  }
  if (end + 1 < session.size && length % ONEDRIVE_FRAGMENT_UNIT !== 0) {
    req.resume();
    return json(res, 400, {
      error: { code: 'invalidRequest', message: 'Fragment size must be a multiple of 320 KiB' },
    });
  }
  const data = await readBody(req, length);
  if (!data || data.length !== length) return json(res, 400, { error: { code: 'invalidRequest' } });
  await writeAt(session.tempPath, data, start);
  provider.nextByte = end + 1;
  if (provider.nextByte < session.size) return json(res, 202, status());
  provider.stored = true;
  return json(res, 201, { id: provider.key, name: provider.key.split('/').at(-1), size: session.size });
}

async function qiniu(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
  uploadId: string,
  partNumber: string | undefined,
): Promise<void> {
  const session = sessionWhere(app, (s) => s.provider!.type === 'qiniu' && s.provider!.uploadId === uploadId);
  const auth = req.headers.authorization ?? '';
  if (!session || session.provider!.stored || session.expiresAt <= Date.now()) {
    req.resume();
    return json(res, 612, { error: 'no such uploadId' });
  }
  const provider = session.provider!;
  if (
    !auth.startsWith('UpToken ') ||
    auth.slice(8) !== provider.credential ||
    !readQiniuToken(app.providerKeys, auth.slice(8))
  ) {
    req.resume();
    return json(res, 401, { error: 'bad token' });
  }
  if (req.method === 'DELETE') {
    req.resume();
    provider.uploadId = '';
    return json(res, 200, {});
  }
  if (req.method === 'PUT' && partNumber !== undefined) {
    const data = await readBody(req);
    if (!data) return json(res, 413, { error: 'part too large' });
    const md5 = createHash('md5').update(data).digest('hex');
    const etag = `Fq${createHash('sha1').update(data).digest('base64url')}`;
    const path = `${session.tempPath}.part${partNumber}`;
    await writeFile(path, data);
    provider.parts.set(Number(partNumber), { path, etag, size: data.length });
    return json(res, 200, { etag, md5 });
  }
  if (req.method === 'POST' && partNumber === undefined) {
    const body = JSON.parse((await readBody(req, 1024 * 1024))?.toString('utf8') ?? '{}') as {
      parts?: { etag: string; partNumber: number }[];
    };
    const parts = body.parts ?? [];
    let offset = 0;
    for (const [i, part] of parts.entries()) {
      const stored = provider.parts.get(part.partNumber);
      if (!stored || stored.etag !== part.etag || part.partNumber !== i + 1)
        return json(res, 400, { error: `part ${part.partNumber} does not match` });
      if (i < parts.length - 1 && stored.size < QINIU_MIN_PART)
        return json(res, 400, { error: `part ${part.partNumber} is smaller than 1 MiB` });
      await writeAt(session.tempPath, await readFile(stored.path), offset);
      await rm(stored.path, { force: true });
      offset += stored.size;
    }
    if (offset !== session.size) return json(res, 400, { error: `expected ${session.size} bytes, got ${offset}` });
    provider.stored = true;
    provider.parts.clear();
    const policy = readQiniuToken(app.providerKeys, provider.credential!)!;
    const answer = await callBack(
      app,
      String(policy.callbackUrl),
      JSON.stringify({ size: offset }),
      'application/json',
    );
    const text = await answer.text();
    if (!answer.ok) return json(res, 579, { error: `callback failed: ${text}` });
    return json(res, 200, JSON.parse(text));
  }
  req.resume();
  return json(res, 405, { error: 'method not allowed' });
}

/** A minimal multipart/form-data reader for the Upyun form (fields before the file). */
function formFields(body: Buffer, contentType: string): Map<string, Buffer> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const fields = new Map<string, Buffer>();
  if (!boundary) return fields;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(at + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(part.subarray(0, split).toString('utf8'))?.[1];
    if (name !== undefined) fields.set(name, part.subarray(split + 4));
    at = next;
  }
  return fields;
}

async function upyun(app: App, req: IncomingMessage, res: ServerResponse, bucket: string): Promise<void> {
  if (req.method !== 'POST') return (req.resume(), json(res, 405, { code: 40100001, message: 'method not allowed' }));
  const body = await readBody(req);
  if (!body) return json(res, 413, { code: 40300011, message: 'too large' });
  const fields = formFields(body, req.headers['content-type'] ?? '');
  const policyText = fields.get('policy')?.toString('utf8') ?? '';
  const authorization = fields.get('authorization')?.toString('utf8') ?? '';
  const file = fields.get('file');
  if (authorization !== upyunSign(app.providerKeys, ['POST', `/${bucket}`, policyText]))
    return json(res, 401, { code: 40100005, message: 'signature error' });
  const policy = JSON.parse(Buffer.from(policyText, 'base64').toString('utf8')) as Record<string, unknown>;
  const session = sessionWhere(app, (s) => s.provider!.type === 'upyun' && s.provider!.key === policy['save-key']);
  if (!session || Number(policy.expiration) * 1000 <= Date.now())
    return json(res, 401, { code: 40100012, message: 'policy expired' });
  if (!file || file.length !== Number(policy['content-length']))
    return json(res, 400, { code: 40000006, message: 'content-length mismatch' });
  await writeFile(session.tempPath, file);
  session.provider!.stored = true;
  json(res, 200, {
    code: 200,
    message: 'ok',
    url: `/${String(policy['save-key'])}`,
    time: Math.floor(Date.now() / 1000),
  });
  // The notify comes after the answer, as Upyun's does.
  const notify = new URLSearchParams({
    code: '200',
    message: 'ok',
    url: `/${String(policy['save-key'])}`,
    file_size: String(file.length),
  }).toString();
  void callBack(app, String(policy['notify-url']), notify, 'application/x-www-form-urlencoded').catch(() => {});
}

/** Handles one request to the storage origin; false when it is not a stand-in route. */
export async function handleProviders(app: App, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (req.method === 'OPTIONS') {
    req.resume();
    res.writeHead(204, {
      ...CORS,
      'Access-Control-Allow-Methods': 'GET, PUT, POST, DELETE',
      'Access-Control-Allow-Headers': '*',
    });
    res.end();
    return true;
  }
  const path = url.pathname;
  let match: RegExpExecArray | null;
  if ((match = /^\/onedrive\/upload\/([^/]+)$/.exec(path))) await oneDrive(app, req, res, match[1]!);
  else if ((match = /^\/qiniu\/buckets\/[^/]+\/objects\/[^/]+\/uploads\/([^/]+)(?:\/(\d+))?$/.exec(path)))
    await qiniu(app, req, res, match[1]!, match[2]);
  else if ((match = /^\/upyun\/([^/]+)$/.exec(path))) await upyun(app, req, res, match[1]!);
  else return false;
  return true;
}
