/**
 * A destination that cannot take the archive. Expected outcome in every case: the job
 * fails with a named error that says so, and the destination folder is left as it was
 * (no archive, no placeholder, no temporary file).
 * - Cloudreve storage policy `max_size`: refused before a single file is read;
 * - Cloudreve answers 40051 (capacity exceeded) to a chunk: the session is cancelled;
 * - rclone serving a 1 MiB tmpfs (mounting needs root, which CI has; without it, a stand-in
 *   answering 507 to every non-empty PUT, which the test says in its name).
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDavClient } from '../../lib/webdav/client';
import { createDavDestination } from '../../lib/webdav/destination';
import type { Sandbox } from '../../sandbox/server';
import { DAV_PASSWORD, DAV_USER, startRclone, type DavServer } from '../../tools/dav-servers';
import { pseudoRandom } from '../integration/zip/helpers';
import { EMAIL, listing, runEngine, startSignedInSandbox, type signIn } from './engine';

const run = promisify(execFile);
let sb: Sandbox;
let tokens: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  ({ sb, tokens } = await startSignedInSandbox({
    config: { policy: { chunkSize: 256 * 1024 } },
    extraFiles: { 'Tree/a.bin': pseudoRandom(1_500_000, 1), 'Tree/b.bin': pseudoRandom(900_000, 2) },
  }));
});
afterAll(() => sb?.stop());

describe('a full destination', () => {
  it('Cloudreve max_size: a store-only job fails before zipping with "too large"', async () => {
    await mkdir(sb.pathOf(EMAIL, 'Small'));
    sb.config.policy.maxSize = 1_000_000;
    try {
      const opened: string[] = [];
      const job = await runEngine({
        sb,
        tokens,
        sources: ['cloudreve://my/Tree'],
        folderUri: 'cloudreve://my/Small',
        fetch: async (input, init) => {
          if (String(input).includes('/file/content/')) opened.push(String(input));
          return fetch(input, init);
        },
      });
      expect(job.phase).toBe('failed');
      expect(job.error).toMatchObject({ code: 'archive-too-large', step: 'zipping' });
      expect(opened).toEqual([]);
      expect(await listing(sb, 'Small')).toEqual([]);
    } finally {
      sb.config.policy.maxSize = 0;
    }
  });

  it('Cloudreve 40051 on a chunk: the job fails saying so and the placeholder is gone', async () => {
    sb.config.faults.failRequests.push({
      method: 'POST',
      path: '^/api/v4/file/upload/[^/]+/3$',
      times: 1000,
      code: 40051,
      msg: 'Insufficient capacity',
    });
    try {
      const job = await runEngine({
        sb,
        tokens,
        sources: ['cloudreve://my/Tree'],
        folderUri: 'cloudreve://my/Capacity',
      });
      expect(job.phase).toBe('failed');
      expect(job.error).toMatchObject({ code: 'cloudreve', step: 'uploading', details: { serverCode: 40051 } });
      expect(await listing(sb, 'Capacity')).toEqual([]);
    } finally {
      sb.config.faults.failRequests.length = 0;
    }
  });

  describe('WebDAV', () => {
    let rclone: DavServer;
    let mounted = false;
    let refuser: ReturnType<typeof createServer> | undefined;
    let url = '';
    beforeAll(async () => {
      rclone = await startRclone();
      mounted = await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', rclone.dataDir]).then(
        () => true,
        () => false,
      );
      url = rclone.url;
      if (!mounted) {
        // Without root: a server that answers what a full WebDAV disk answers (RFC 4918 §11.5).
        refuser = createServer((req, res) => {
          req.resume();
          const empty = req.headers['content-length'] === '0';
          res.writeHead(req.method === 'PUT' && !empty ? 507 : req.method === 'PROPFIND' ? 404 : 201).end();
        });
        await new Promise<void>((resolve) => refuser!.listen(0, '127.0.0.1', resolve));
        url = `http://127.0.0.1:${(refuser.address() as AddressInfo).port}/`;
      }
    });
    afterAll(async () => {
      refuser?.close();
      if (mounted) await run('umount', [rclone.dataDir]).catch(() => undefined);
      await rclone?.stop();
    });

    it('rclone on a 1 MiB tmpfs (or a 507 stand-in without root): "no space left", nothing left behind, no second upload', async () => {
      const puts: string[] = [];
      const client = createDavClient({
        url,
        username: DAV_USER,
        password: DAV_PASSWORD,
        fetch: async (input, init) => {
          if (init?.method === 'PUT') puts.push(decodeURIComponent(new URL(String(input)).pathname));
          return fetch(input, init);
        },
      });
      const job = await runEngine({
        sb,
        tokens,
        sources: ['cloudreve://my/Tree'],
        folderUri: 'cloudreve://my',
        parts: () => ({ destination: createDavDestination({ client, folder: '' }) }),
      });
      expect(job.phase).toBe('failed');
      expect(job.error).toMatchObject({ code: 'insufficient-storage', step: 'uploading' });
      // Never sent again under a name without the leading dot.
      expect(puts.every((path) => path.startsWith('/.out.zip.part-'))).toBe(true);
      if (mounted) expect(await readdir(rclone.dataDir)).toEqual([]);
    });
  });
});
