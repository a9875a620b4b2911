/**
 * A real S3-compatible server on its own loopback origin for the sandbox's `s3` policy:
 * s3rver 3.7.1 (filesystem store), behind a small front that fills what s3rver lacks so the
 * extension meets S3's rules:
 * - s3rver accepts any SigV4 signature ("Signature version 4 calculation is unimplemented",
 *   lib/middleware/authentication.js): the front verifies every query signature itself
 *   (sandbox/storage/sigv4.ts) and answers 403 SignatureDoesNotMatch / AccessDenied;
 * - AbortMultipartUpload (DELETE ?uploadId) and ListMultipartUploads (GET ?uploads) are not
 *   implemented (lib/routes.js): the front does both on s3rver's store
 *   (`<bucket>/._S3rver_uploads/<uploadId>/`, lib/stores/filesystem.js);
 * - UploadPart and CompleteMultipartUpload on an unknown upload id, part ETags and the 5 MiB
 *   minimum of every part but the last are not checked: the front answers NoSuchUpload,
 *   InvalidPart and EntityTooSmall as S3 does (AWS S3 API Reference, UploadPart and
 *   CompleteMultipartUpload).
 * CORS preflights reach s3rver, which answers them from the bucket's CORS configuration.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { checkPresigned, presign, type S3Credentials } from '../sandbox/storage/sigv4';

/** s3rver's built-in account (lib/models/account.js). */
export const S3RVER_CREDENTIALS: S3Credentials = { accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1' };

/** S3's minimum size of every part but the last (AWS "Amazon S3 multipart upload limits"). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export interface S3Server {
  /** The origin the sandbox and the extension talk to (the verifying front). */
  url: string;
  bucket: string;
  credentials: S3Credentials;
  /** Open multipart uploads: id and key, as a signed ListMultipartUploads through the front answers. */
  openUploads(): Promise<{ uploadId: string; key: string }[]>;
  /** Per upload id: how often each part number arrived in a PUT (held, failed or stored). */
  partPuts: Map<string, Map<number, number>>;
  /** Every `Authorization` and `Cookie` header any request to the front carried (presigned URLs need none). */
  credentialHeaders: string[];
  /**
   * Holds every part PUT numbered `fromPart` or more before it reaches the store, until the
   * returned function is called; a held request whose client went away meanwhile is dropped.
   */
  holdParts(fromPart: number): () => void;
  stop(): Promise<void>;
}

const xml = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'Content-Type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
};
const s3Error = (res: ServerResponse, status: number, code: string, message: string) =>
  xml(res, status, `<Error><Code>${code}</Code><Message>${message}</Message></Error>`);

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startS3Server(bucket = 'archives'): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'cra-s3-'));
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [CORS] }],
  });
  const backend = (await s3rver.run()) as AddressInfo;
  const uploadsDir = join(directory, bucket, '._S3rver_uploads');
  const partPuts = new Map<string, Map<number, number>>();

  const uploadExists = async (uploadId: string) =>
    /^[0-9a-f]+$/.test(uploadId) && (await stat(join(uploadsDir, uploadId)).catch(() => null)) !== null;

  async function storedUploads() {
    const ids = await readdir(uploadsDir).catch(() => [] as string[]);
    return Promise.all(
      ids.map(async (uploadId) => ({ uploadId, key: await readFile(join(uploadsDir, uploadId, 'key'), 'utf8') })),
    );
  }

  // Its own connections to s3rver, so that stopping can cut a forward whose client vanished mid-body
  // (a killed worker): s3rver's close() would wait for it.
  const upstreamAgent = new Agent({ keepAlive: false });
  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    const headers = { ...req.headers, host: `127.0.0.1:${backend.port}` };
    if (body) headers['content-length'] = String(body.length);
    const upstream = httpRequest(
      { host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers, agent: upstreamAgent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    if (body) upstream.end(body);
    else req.pipe(upstream);
  };

  async function completeChecks(res: ServerResponse, uploadId: string, body: Buffer): Promise<boolean> {
    const parts = [...body.toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((match) => ({
      number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(match[1]!)?.[1]),
      etag: (/<ETag>([\s\S]*?)<\/ETag>/.exec(match[1]!)?.[1] ?? '').replace(/&quot;|"/g, ''),
    }));
    if (parts.length === 0) return (s3Error(res, 400, 'MalformedXML', 'No parts'), false);
    for (const [i, part] of parts.entries()) {
      if (i > 0 && part.number <= parts[i - 1]!.number)
        return (s3Error(res, 400, 'InvalidPartOrder', 'Parts must be ascending'), false);
      const file = join(uploadsDir, uploadId, String(part.number));
      const md5 = await readFile(`${file}.md5`, 'utf8').catch(() => null);
      if (md5 === null || md5 !== part.etag)
        return (s3Error(res, 400, 'InvalidPart', `Part ${part.number} not found or ETag differs`), false);
      if (i < parts.length - 1 && (await stat(file)).size < MIN_PART_SIZE)
        return (s3Error(res, 400, 'EntityTooSmall', `Part ${part.number} is smaller than 5 MiB`), false);
    }
    return true;
  }

  const credentialHeaders: string[] = [];
  let hold: { fromPart: number; released: Promise<void>; release(): void } | undefined;

  const front = createServer((req, res) => {
    const handle = async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      for (const value of [req.headers.authorization, req.headers.cookie]) if (value) credentialHeaders.push(value);
      if (req.method === 'OPTIONS') return forward(req, res);
      const check = checkPresigned(req.method ?? 'GET', url, req.headers.host ?? '', S3RVER_CREDENTIALS);
      if (check !== 'valid') {
        req.resume();
        return s3Error(res, 403, check === 'expired' ? 'AccessDenied' : 'SignatureDoesNotMatch', `Request ${check}`);
      }
      const uploadId = url.searchParams.get('uploadId');
      if (req.method === 'GET' && url.searchParams.has('uploads')) {
        req.resume();
        const uploads = await storedUploads();
        return xml(
          res,
          200,
          `<ListMultipartUploadsResult><Bucket>${bucket}</Bucket>${uploads
            .map((u) => `<Upload><Key>${u.key}</Key><UploadId>${u.uploadId}</UploadId></Upload>`)
            .join('')}</ListMultipartUploadsResult>`,
        );
      }
      if (uploadId !== null) {
        if (!(await uploadExists(uploadId))) {
          req.resume();
          return s3Error(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
        }
        if (req.method === 'DELETE') {
          req.resume();
          await rm(join(uploadsDir, uploadId), { recursive: true, force: true });
          res.writeHead(204).end();
          return;
        }
        if (req.method === 'PUT') {
          const number = Number(url.searchParams.get('partNumber'));
          const counts = partPuts.get(uploadId) ?? new Map<number, number>();
          counts.set(number, (counts.get(number) ?? 0) + 1);
          partPuts.set(uploadId, counts);
          if (hold && number >= hold.fromPart) {
            await hold.released;
            if (req.destroyed || req.socket.destroyed) return;
            // Aborted meanwhile: s3rver would make the upload's folder again for the part.
            if (!(await uploadExists(uploadId))) {
              req.resume();
              return s3Error(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
            }
          }
          return forward(req, res);
        }
        if (req.method === 'POST') {
          const body = await readAll(req);
          if (!(await completeChecks(res, uploadId, body))) return;
          return forward(req, res, body);
        }
      }
      return forward(req, res);
    };
    handle().catch(() => {
      if (!res.headersSent) s3Error(res, 500, 'InternalError', 'front failed');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  async function openUploads() {
    const response = await fetch(presign('GET', `${url}/${bucket}?uploads`, S3RVER_CREDENTIALS, 60));
    const text = await response.text();
    if (!response.ok) throw new Error(`ListMultipartUploads: HTTP ${response.status} ${text}`);
    return [...text.matchAll(/<Upload><Key>([^<]*)<\/Key><UploadId>([^<]*)<\/UploadId><\/Upload>/g)].map(
      ([, key, uploadId]) => ({ key: key!, uploadId: uploadId! }),
    );
  }

  return {
    url,
    bucket,
    credentials: S3RVER_CREDENTIALS,
    openUploads,
    partPuts,
    credentialHeaders,
    holdParts(fromPart) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      hold = { fromPart, released, release };
      return () => {
        hold = undefined;
        release();
      };
    },
    async stop() {
      hold?.release();
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      upstreamAgent.destroy();
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
