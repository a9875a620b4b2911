/**
 * The sandbox of the s3-policy browser tests (Chromium and Firefox): an `s3` storage policy on a
 * real S3 server (tools/s3-server.ts), and two stored (already compressed) 26 MiB videos, so an
 * archive of them goes to the bucket in four 16 MiB parts.
 */
import { randomBytes } from 'node:crypto';
import type { ArchiveRequest } from '../../lib/messaging/payloads';
import type { SandboxOptions } from '../../sandbox/server';
import type { S3Server } from '../../tools/s3-server';

export const MIB = 1024 * 1024;
export const PART = 16 * MIB;

export function s3PolicySandbox(s3: S3Server): SandboxOptions {
  return {
    extraFiles: { 'Videos/a.mp4': randomBytes(26 * MIB), 'Videos/b.mp4': randomBytes(26 * MIB) },
    config: {
      policy: {
        type: 's3',
        chunkSize: PART,
        chunkConcurrency: 2,
        maxEditSize: MIB,
        s3: { endpoint: s3.url, bucket: s3.bucket, ...s3.credentials },
      },
    },
  };
}

/** What both tests start: an archive of the two videos, made in the browser, into the drive's root. */
export function videosArchive(serverId: string, name: string): ArchiveRequest {
  const destination = { kind: 'cloudreve', folderUri: 'cloudreve://my' } as const;
  return { serverId, sources: ['cloudreve://my/Videos'], name, destination, mode: 'browser' };
}
