/**
 * The destination picker and the checks before Start against real servers:
 * the sandbox (Cloudreve v4 stand-in) for folders, `POST /file/create` refusing
 * an existing name, `/user/capacity` and the policy's `max_size`; rclone and
 * Apache for WebDAV folders (PROPFIND) and MKCOL refusing an existing name.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenManager, type TokenPair } from '../../lib/cloudreve/auth';
import { createCloudreveClient, type CloudreveClient } from '../../lib/cloudreve/client';
import { walkSelection } from '../../lib/cloudreve/files';
import { createChildFolder, folderMaxFileSize, freeCapacity, listChildFolders } from '../../lib/cloudreve/folders';
import { blocksStart, preflight } from '../../lib/jobs/preflight';
import { createDavBrowse } from '../../lib/service/dav-browse';
import { gatherPreflightFacts } from '../../lib/service/preflight-facts';
import { createPreviews } from '../../lib/service/previews';
import type { ServerRecord } from '../../lib/servers/types';
import { createDavClient } from '../../lib/webdav/client';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { DAV_PASSWORD, DAV_USER, seedTree, startApache, startRclone, type DavServer } from '../../tools/dav-servers';

const ADMIN = 'admin@example.com';
let sb: Sandbox;
let client: CloudreveClient;

beforeAll(async () => {
  sb = await startSandbox({ page: 'placeholder' });
  let pair: TokenPair | undefined;
  const auth = createTokenManager({
    origin: sb.url,
    store: { load: async () => pair, save: async (next) => void (pair = next) },
  });
  await auth.login({ email: ADMIN, password: 'admin123' });
  client = createCloudreveClient({ origin: sb.url, getAccessToken: auth.getAccessToken });
});
afterAll(() => sb?.stop());

const noSpeeds = { current: async () => ({}) };

describe('Cloudreve destination picker', () => {
  it('lists the folders of a folder, without its files', async () => {
    const names = (await listChildFolders(client, 'cloudreve://my')).map((folder) => folder.name);
    expect(names).toEqual(expect.arrayContaining(['Docs', 'Empty folder']));
    expect(names).not.toContain('a b.txt');
    const nested = await listChildFolders(client, 'cloudreve://my/Docs');
    expect(nested.map((folder) => folder.name)).toContain('2024 reports (final)');
    expect(nested.find((folder) => folder.name === '2024 reports (final)')?.uri).toBe(
      'cloudreve://my/Docs/2024%20reports%20(final)',
    );
  });

  it('creates a folder, and refuses a name that exists (folder or file) without touching it', async () => {
    const created = await createChildFolder(client, 'cloudreve://my/Docs', 'New 中文 #1');
    expect(created).toEqual({ name: 'New 中文 #1', uri: 'cloudreve://my/Docs/New%20%E4%B8%AD%E6%96%87%20%231' });
    expect(statSync(sb.pathOf(ADMIN, 'Docs/New 中文 #1')).isDirectory()).toBe(true);
    await expect(createChildFolder(client, 'cloudreve://my/Docs', 'New 中文 #1')).rejects.toMatchObject({
      code: 'folder-exists',
      message: 'New 中文 #1',
    });
    const before = statSync(sb.pathOf(ADMIN, 'a b.txt'));
    await expect(createChildFolder(client, 'cloudreve://my', 'a b.txt')).rejects.toMatchObject({
      code: 'folder-exists',
    });
    expect(statSync(sb.pathOf(ADMIN, 'a b.txt')).isFile()).toBe(true);
    expect(statSync(sb.pathOf(ADMIN, 'a b.txt')).mtimeMs).toBe(before.mtimeMs);
    await expect(createChildFolder(client, 'cloudreve://my', '..')).rejects.toMatchObject({ code: 'invalid-name' });
  });
});

describe('checks before Start against the sandbox', () => {
  async function previewOf(uris: string[]) {
    const previews = createPreviews();
    const { previewId } = previews.start('s', uris, (signal, onUnreadable) =>
      walkSelection(client, uris, signal, onUnreadable),
    );
    for (;;) {
      const status = previews.status(previewId, 's');
      if (status.state !== 'listing') return status;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it("reads the user's free capacity and the folder's single-file limit", async () => {
    sb.config.capacity = 5_000_000;
    const used = 5_000_000 - (await freeCapacity(client));
    expect(used).toBeGreaterThan(0);
    sb.config.capacity = used + 100;
    expect(await freeCapacity(client)).toBe(100);
    sb.config.capacity = 10 * 1024 ** 3;
    expect(await folderMaxFileSize(client, 'cloudreve://my')).toBeUndefined();
    sb.config.policy.maxSize = 1234;
    expect(await folderMaxFileSize(client, 'cloudreve://my/Docs')).toBe(1234);
    sb.config.policy.maxSize = 0;
  });

  it('blocks Start when the archive cannot fit the free capacity, and the upload would indeed be refused (40051)', async () => {
    const status = await previewOf(['cloudreve://my/Docs']);
    expect(status.state).toBe('done');
    const used = 10 * 1024 ** 3 - (await freeCapacity(client));
    sb.config.capacity = used + Math.floor(status.sizes!.deflate.min / 2);
    try {
      const facts = await gatherPreflightFacts(client, 'cloudreve://my', noSpeeds);
      const checks = preflight({
        archive: status.sizes!.deflate,
        sourceBytes: status.bytes,
        facts,
        inBrowser: false,
      });
      expect(checks).toEqual([expect.objectContaining({ kind: 'capacity', verdict: 'fails' })]);
      expect(blocksStart(checks)).toBe(true);
      // What the check foresees is what the server does: a session for that size is refused.
      await expect(
        client.request('PUT', '/file/upload', {
          body: { uri: 'cloudreve://my/too-big.zip', size: status.sizes!.deflate.min, policy_id: 'Gkdr' },
        }),
      ).rejects.toMatchObject({ serverCode: 40051 });
    } finally {
      sb.config.capacity = 10 * 1024 ** 3;
    }
  });

  it("blocks Start when the archive is over the folder policy's max_size, which the upload would meet (40049)", async () => {
    const status = await previewOf(['cloudreve://my/Docs']);
    sb.config.policy.maxSize = status.sizes!.store.min - 1;
    try {
      const facts = await gatherPreflightFacts(client, 'cloudreve://my', noSpeeds);
      expect(facts.maxFileSize).toBe(status.sizes!.store.min - 1);
      const store = preflight({ archive: status.sizes!.store, sourceBytes: status.bytes, facts, inBrowser: true });
      expect(store).toEqual([expect.objectContaining({ kind: 'max-size', verdict: 'fails' })]);
      await expect(
        client.request('PUT', '/file/upload', {
          body: { uri: 'cloudreve://my/too-big.zip', size: status.sizes!.store.min, policy_id: 'Gkdr' },
        }),
      ).rejects.toMatchObject({ serverCode: 40049 });
    } finally {
      sb.config.policy.maxSize = 0;
    }
  });

  it('passes with room to spare', async () => {
    const status = await previewOf(['cloudreve://my/Docs', 'cloudreve://my/a b.txt']);
    const facts = await gatherPreflightFacts(client, 'cloudreve://my', noSpeeds);
    expect(facts.capacityFree).toBeGreaterThan(0);
    expect(preflight({ archive: status.sizes!.auto, sourceBytes: status.bytes, facts, inBrowser: false })).toEqual([]);
  });
});

describe.each([
  // rclone (x/net/webdav over a file system whose Mkdir accepts an existing folder) answers
  // MKCOL on an existing folder with 201; Apache answers 405 (RFC 4918 §9.3.1).
  ['rclone', startRclone, true],
  ['apache', startApache, false],
])('WebDAV destination picker on %s', (_name, start, mkcolOverExisting) => {
  let server: DavServer;
  beforeAll(async () => {
    server = await start();
    seedTree(server.dataDir, { 'Docs/sub/inner.txt': 'inside', 'Docs/file.txt': 'keep me' });
  });
  afterAll(() => server?.stop());

  const browse = () => {
    const record = { id: 's', label: 'dav', dav: { url: server.url, username: DAV_USER, password: DAV_PASSWORD } };
    return createDavBrowse({
      registry: { get: async () => record as unknown as ServerRecord },
      connections: { dav: async () => createDavClient(record.dav) },
    });
  };

  it('creates a folder by MKCOL and refuses an existing folder or file name', async () => {
    const davBrowse = browse();
    expect(await davBrowse.createFolder('s', 'Docs', 'New 文件夹')).toEqual({
      name: 'New 文件夹',
      location: 'Docs/New 文件夹',
    });
    expect(statSync(path.join(server.dataDir, 'Docs/New 文件夹')).isDirectory()).toBe(true);
    const listed = await davBrowse.list('s', 'Docs');
    expect(listed.entries.filter((entry) => entry.isCollection).map((entry) => entry.name)).toEqual([
      'New 文件夹',
      'sub',
    ]);
    await expect(davBrowse.createFolder('s', 'Docs', 'sub')).rejects.toMatchObject({ code: 'folder-exists' });
    await expect(davBrowse.createFolder('s', 'Docs', 'file.txt')).rejects.toMatchObject({ code: 'folder-exists' });
    expect(statSync(path.join(server.dataDir, 'Docs/file.txt')).isFile()).toBe(true);
    await expect(davBrowse.createFolder('s', '../x', 'y')).rejects.toMatchObject({ code: 'invalid-name' });
  });

  it('MKCOL over an existing folder never empties it; where the server says 201 the stat before it is what refuses', async () => {
    const dav = createDavClient({ url: server.url, username: DAV_USER, password: DAV_PASSWORD });
    expect(await dav.mkcol('Docs/sub')).toBe(mkcolOverExisting);
    expect(readFileSync(path.join(server.dataDir, 'Docs/sub/inner.txt'), 'utf8')).toBe('inside');
    expect(await dav.mkcol('Docs/fresh')).toBe(true);
  });
});
