/**
 * The WebDAV modules against the Cloudreve v4 stand-in's /dav (sandbox/dav.ts,
 * docs/cloudreve-api.md#webdav-endpoint): realm "cloudreve", GET answered by 302 to a signed URL,
 * PUT that always overwrites — so only MOVE with Overwrite: F protects files.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SourceEntry } from '@/lib/archive/types';
import { createDavClient } from '@/lib/webdav/client';
import { createDavDestination } from '@/lib/webdav/destination';
import { detectDav } from '@/lib/webdav/detect';
import { createDavSource } from '@/lib/webdav/source';
import { startSandbox, type Sandbox } from '../../../sandbox/server';

const EMAIL = 'admin@example.com';
const PASSWORD = 'sandboxdavpassword0123456789abcd';
const signal = new AbortController().signal;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    page: 'placeholder',
    extraFiles: { 'Arc & hive/a b#1.txt': 'hello cloudreve', 'Arc & hive/中文/x.zip': 'old zip' },
  });
});
afterAll(async () => sandbox?.stop());

it('detects Cloudreve, walks and reads through the 302, and stores without overwriting', async () => {
  const url = `${sandbox.url}/dav/`;
  expect(await detectDav(url, { username: EMAIL, password: PASSWORD })).toEqual({
    kind: 'webdav',
    flavor: 'cloudreve',
  });
  await expect(detectDav(url, { username: EMAIL, password: 'nope' })).rejects.toMatchObject({
    code: 'wrong-credentials',
  });

  const client = createDavClient({ url, username: EMAIL, password: PASSWORD });
  const source = createDavSource({ client, selection: ['Arc & hive'] });
  const entries: SourceEntry[] = [];
  for await (const entry of source.list(signal)) entries.push(entry);
  expect(entries.map((e) => e.name)).toEqual([
    'Arc & hive',
    'Arc & hive/a b#1.txt',
    'Arc & hive/中文',
    'Arc & hive/中文/x.zip',
  ]);
  const file = entries[1]!;
  expect(await new Response(await source.open(file, 6, signal)).text()).toBe('cloudreve');

  const destination = createDavDestination({ client, folder: 'Arc & hive/中文' });
  const stored = await destination.store(new Blob(['new zip']), 'x.zip', { signal });
  expect(stored.name).toBe('x (1).zip');
  const folder = sandbox.pathOf(EMAIL, 'Arc & hive/中文');
  expect(readFileSync(`${folder}/x.zip`, 'utf8')).toBe('old zip');
  expect(readFileSync(`${folder}/x (1).zip`, 'utf8')).toBe('new zip');
  expect(readdirSync(folder).sort()).toEqual(['x (1).zip', 'x.zip']);
});
