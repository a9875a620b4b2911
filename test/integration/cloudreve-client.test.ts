/**
 * The lib/cloudreve client against the real sandbox server (sandbox/server.ts) on
 * loopback: auth with 2FA and refresh, walking awkward names, ranged downloads,
 * small and chunked uploads, no-clobber naming and archive tasks.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceEntry } from '../../lib/archive/types';
import { createTokenManager, type TokenPair } from '../../lib/cloudreve/auth';
import { createCloudreveClient } from '../../lib/cloudreve/client';
import { createCloudreveDestination } from '../../lib/cloudreve/destination';
import { fileExists, getInfo, walkSelection } from '../../lib/cloudreve/files';
import { decodePermissions } from '../../lib/cloudreve/permissions';
import { detectCloudreve, getMe } from '../../lib/cloudreve/site';
import { findTask, ping } from '../../lib/cloudreve/testing/lookups';
import { createCloudreveSource } from '../../lib/cloudreve/source';
import { uploadFile } from '../../lib/cloudreve/upload';
import { joinUri } from '../../lib/cloudreve/uri';
import { createArchiveTask, createArchiveTaskNoClobber, hasTaskEnded } from '../../lib/cloudreve/workflow';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { totpCode } from '../../sandbox/totp';

const CHUNK = 64 * 1024;
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({
    page: 'placeholder',
    config: { policy: { chunkSize: CHUNK, chunkConcurrency: 3 }, faults: { taskStepMs: 20 } },
  });
});
afterAll(() => sb?.stop());

function memoryStore(initial?: TokenPair) {
  let pair = initial;
  return { load: async () => pair, save: async (next: TokenPair | undefined) => void (pair = next), peek: () => pair };
}

/** A signed-in client for a sandbox user. */
async function signIn(email = 'admin@example.com', password = 'admin123') {
  const store = memoryStore();
  const auth = createTokenManager({ origin: sb.url, store });
  const result = await auth.login({ email, password });
  expect(result.kind).toBe('signed-in');
  const client = createCloudreveClient({ origin: sb.url, getAccessToken: auth.getAccessToken });
  return { auth, client, store };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const signal = () => new AbortController().signal;
const ODD = 'cloudreve://my/100%25%20real%20%231%20%2B%20more%20%26%20co.txt';

describe('site and auth', () => {
  it('detects a Cloudreve v4 server and pings it', async () => {
    await expect(detectCloudreve(sb.url)).resolves.toEqual({ kind: 'v4', version: '4.18.0', pro: false });
    const client = createCloudreveClient({ origin: sb.url, getAccessToken: async () => undefined });
    await expect(ping(client)).resolves.toBe('4.18.0');
  });

  it('signs in and reads group permissions', async () => {
    const admin = await signIn();
    expect(decodePermissions((await getMe(admin.client)).group?.permission)).toMatchObject({
      archiveTask: true,
      webdav: true,
      isAdmin: true,
    });
    const user = await signIn('user@example.com', 'user123');
    expect(decodePermissions((await getMe(user.client)).group?.permission)).toMatchObject({
      archiveTask: false,
      archiveDownload: false,
      webdav: false,
      share: true,
    });
  });

  it('rejects a wrong password', async () => {
    const auth = createTokenManager({ origin: sb.url, store: memoryStore() });
    await expect(auth.login({ email: 'admin@example.com', password: 'nope1234' })).rejects.toMatchObject({
      code: 'wrong-credentials',
    });
  });

  it('completes a TOTP second factor', async () => {
    const store = memoryStore();
    const auth = createTokenManager({ origin: sb.url, store });
    const step = await auth.login({ email: 'totp@example.com', password: 'totp123' });
    if (step.kind !== 'two-factor') throw new Error('expected a two-factor step');
    await expect(auth.loginTwoFactor(step.sessionId, '000000')).rejects.toMatchObject({ code: 'wrong-credentials' });
    const done = await auth.loginTwoFactor(step.sessionId, totpCode('JBSWY3DPEHPK3PXP'));
    expect(done).toMatchObject({ kind: 'signed-in', user: { email: 'totp@example.com' } });
    expect(store.peek()?.access_token).toBeTruthy();
  });

  it('refreshes proactively, and after sign-out the refresh token stops working', async () => {
    const { auth, store } = await signIn();
    const original = store.peek()!;
    // 55 minutes later the 60-minute access token is inside the 10-minute margin.
    const later = () => Date.now() + 55 * 60_000;
    const refreshed: string[] = [];
    const counting: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/session/token/refresh')) refreshed.push(String(init?.body));
      return fetch(input, init);
    };
    const refreshStore = memoryStore(original);
    const refreshing = createTokenManager({ origin: sb.url, fetch: counting, store: refreshStore, now: later });
    const fresh = await refreshing.getAccessToken();
    expect(refreshed).toEqual([JSON.stringify({ refresh_token: original.refresh_token })]);
    const client = createCloudreveClient({ origin: sb.url, getAccessToken: async () => fresh });
    await expect(getMe(client)).resolves.toMatchObject({ email: 'admin@example.com' });

    await auth.signOut();
    const states: string[] = [];
    const revoked = createTokenManager({
      origin: sb.url,
      store: memoryStore(original),
      now: later,
      onStateChange: (s) => states.push(s),
    });
    await expect(revoked.getAccessToken()).rejects.toMatchObject({ code: 'sign-in-required' });
    expect(states).toEqual(['sign-in-required']);
  });
});

describe('files and downloads', () => {
  it('walks a selection with awkward names relative to the parent', async () => {
    const { client } = await signIn();
    const entries = await collect(
      walkSelection(
        client,
        [
          'cloudreve://my/Docs',
          ODD,
          'cloudreve://my/Photos/sunset%20%F0%9F%8C%85.png',
          'cloudreve://my/%E4%B8%AD%E6%96%87.md',
        ],
        signal(),
      ),
    );
    const names = entries.map((entry) => `${entry.kind}:${entry.name}`);
    expect([...names].sort()).toEqual(
      [
        'folder:Docs',
        'folder:Docs/2024 reports (final)',
        ...['blank.txt', 'q1.txt', 'q2.txt'].map((name) => `file:Docs/2024 reports (final)/${name}`),
        'folder:Docs/Empty (nested)',
        'file:Docs/readme.txt',
        'file:100% real #1 + more & co.txt',
        'file:sunset 🌅.png',
        'file:中文.md',
      ].sort(),
    );
    // Selection order kept; depth-first: a folder's subtree follows it without interruption.
    expect(names.slice(-3)).toEqual(['file:100% real #1 + more & co.txt', 'file:sunset 🌅.png', 'file:中文.md']);
    const reports = names.indexOf('folder:Docs/2024 reports (final)');
    expect(
      names.slice(reports + 1, reports + 4).every((name) => name.startsWith('file:Docs/2024 reports (final)/')),
    ).toBe(true);
    expect(names[0]).toBe('folder:Docs');
    const odd = entries.find((entry) => entry.ref === ODD)!;
    expect(odd.size).toBe((await readFile(sb.pathOf('admin@example.com', '100% real #1 + more & co.txt'))).length);
  });

  it('downloads every file, from an offset with Range, and through an injected 503', async () => {
    const { client } = await signIn();
    const source = createCloudreveSource({
      client,
      selection: ['cloudreve://my/Docs', ODD],
      retry: { attempts: 4, baseDelayMs: 5 },
    });
    const files = (await collect(source.list(signal()))).filter((entry) => entry.kind === 'file');
    for (const entry of files) {
      const expected = await readFile(sb.pathOf('admin@example.com', relPath(entry)));
      const bytes = new Uint8Array(await new Response(await source.open(entry, 0, signal())).arrayBuffer());
      expect(Buffer.from(bytes).equals(expected)).toBe(true);
    }
    const odd = files.find((entry) => entry.ref === ODD)!;
    const whole = await readFile(sb.pathOf('admin@example.com', relPath(odd)));
    sb.config.faults.failRequests.push({ path: '^/api/v4/file/content/', times: 1, httpStatus: 503 });
    const tail = new Uint8Array(await new Response(await source.open(odd, 5, signal())).arrayBuffer());
    expect(Buffer.from(tail).equals(whole.subarray(5))).toBe(true);
    expect(sb.config.faults.failRequests[0]!.times).toBe(0);
    sb.config.faults.failRequests.length = 0;
  });

  it('answers null for a file deleted after listing', async () => {
    const { client } = await signIn();
    await uploadFile({ client, uri: 'cloudreve://my/doomed.txt', file: new Blob(['bye']), signal: signal() });
    const source = createCloudreveSource({ client, selection: ['cloudreve://my/doomed.txt'] });
    const [entry] = await collect(source.list(signal()));
    await client.request('DELETE', '/file', { body: { uris: ['cloudreve://my/doomed.txt'], skip_soft_delete: true } });
    await expect(source.open(entry!, 0, signal())).resolves.toBeNull();
  });
});

describe('uploads and destinations', () => {
  const payload = (size: number) => new Blob([Uint8Array.from({ length: size }, (_, i) => (i * 7) % 256)]);

  it('uploads a small file through an upload session (the atomic name claim)', async () => {
    const { client } = await signIn();
    const file = payload(1000);
    const stored = await uploadFile({
      client,
      uri: 'cloudreve://my/small %231.bin'.replace(' ', '%20'),
      file,
      signal: signal(),
    });
    expect(stored.size).toBe(1000);
    const disk = await readFile(sb.pathOf('admin@example.com', 'small #1.bin'));
    expect(disk.equals(Buffer.from(await file.arrayBuffer()))).toBe(true);
  });

  it('uploads a large file in exact chunks with parallel requests', async () => {
    const { client } = await signIn();
    const size = CHUNK * 4 + 1234;
    const file = payload(size);
    const progress: number[] = [];
    const uri = joinUri('cloudreve://my/Docs', 'chunked 中文 (1).zip');
    await uploadFile({
      client,
      uri,
      file,
      signal: signal(),
      onProgress: (p) => progress.push(p.sent),
    });
    expect(progress.at(-1)).toBe(size);
    const disk = await readFile(sb.pathOf('admin@example.com', 'Docs/chunked 中文 (1).zip'));
    expect(disk.equals(Buffer.from(await file.arrayBuffer()))).toBe(true);
    await expect(uploadFile({ client, uri, file, signal: signal() })).rejects.toMatchObject({
      code: 'destination-exists',
      serverCode: 40004,
    });
  });

  it('cancels the upload session when aborted', async () => {
    const { client } = await signIn();
    const controller = new AbortController();
    const uri = 'cloudreve://my/aborted.zip';
    const upload = uploadFile({
      client,
      uri,
      file: payload(CHUNK * 6),
      signal: controller.signal,
      chunkConcurrency: 1,
      onProgress: () => controller.abort(),
    });
    await expect(upload).rejects.toMatchObject({ name: 'AbortError' });
    await expect(fileExists(client, uri)).resolves.toBe(false);
    // The session was deleted, so the name is free again.
    await uploadFile({ client, uri, file: payload(10), signal: signal() });
  });

  it('picks free names and never overwrites', async () => {
    const { client } = await signIn();
    const destination = createCloudreveDestination({ client, folderUri: 'cloudreve://my' });
    await expect(destination.freeName('a b.txt', signal())).resolves.toBe('a b (1).txt');
    await expect(destination.freeName('fresh.zip', signal())).resolves.toBe('fresh.zip');
    await expect(destination.store(new Blob(['x']), 'a b.txt', { signal: signal() })).rejects.toMatchObject({
      code: 'destination-exists',
    });
    const before = await getInfo(client, 'cloudreve://my/a%20b.txt');
    expect(before.size).toBe((await readFile(sb.pathOf('admin@example.com', 'a b.txt'))).length);
    await expect(destination.store(new Blob(['zip bytes']), 'fresh.zip', { signal: signal() })).resolves.toEqual({
      name: 'fresh.zip',
      size: 9,
    });
    await expect(destination.freeName('fresh.zip', signal())).resolves.toBe('fresh (1).zip');
  });
});

describe('archive tasks', () => {
  it('creates tasks without clobbering and polls them to completion', async () => {
    const { client } = await signIn();
    const src = ['cloudreve://my/Docs', ODD];
    const first = await createArchiveTaskNoClobber(client, {
      src,
      folderUri: 'cloudreve://my/out',
      name: 'archive.zip',
    });
    expect(first).toMatchObject({ name: 'archive.zip', dst: 'cloudreve://my/out/archive.zip' });
    let task = first.task;
    for (let i = 0; i < 500 && !hasTaskEnded(task.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      task = (await findTask(client, first.task.id)) ?? task;
    }
    expect(task.status).toBe('completed');
    const second = await createArchiveTaskNoClobber(client, {
      src,
      folderUri: 'cloudreve://my/out',
      name: 'archive.zip',
    });
    expect(second.name).toBe('archive (1).zip');
    let next = second.task;
    for (let i = 0; i < 500 && !hasTaskEnded(next.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      next = (await findTask(client, second.task.id)) ?? next;
    }
    expect(next.status).toBe('completed');
    const listing = execFileSync('unzip', ['-Z1', sb.pathOf('admin@example.com', 'out/archive.zip')])
      .toString()
      .split('\n')
      .filter(Boolean);
    expect(listing).toContain('Docs/2024 reports (final)/q1.txt');
    expect(listing).toContain('100% real #1 + more & co.txt');
  });

  it('answers group-not-allowed (40007) for the User group', async () => {
    const { client } = await signIn('user@example.com', 'user123');
    await expect(
      createArchiveTask(client, { src: ['cloudreve://my/a%20b.txt'], dst: 'cloudreve://my/x.zip' }),
    ).rejects.toMatchObject({
      code: 'group-not-allowed',
      serverCode: 40007,
    });
  });
});

/** The path of an entry relative to the user's root (all selections here sit at the root). */
function relPath(entry: SourceEntry): string {
  return entry.name;
}
