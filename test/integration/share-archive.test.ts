/**
 * Archiving a share link (issue 15 "Shares") through the archive service against the
 * sandbox's share links: a user whose group may run archive tasks gets a server task over
 * the items inside the share (the task refuses the share root); a user whose group may
 * not gets the browser engine, which lists and downloads through the share's URIs. Both
 * zips land in the signed-in user's own drive and hold the share's files exactly.
 */
import 'fake-indexeddb/auto';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenManager, type TokenPair } from '../../lib/cloudreve/auth';
import { createCloudreveClient, type CloudreveClient } from '../../lib/cloudreve/client';
import { createCloudreveDestination } from '../../lib/cloudreve/destination';
import { createCloudreveSource } from '../../lib/cloudreve/source';
import type { ArchiveDestination } from '../../lib/archive/types';
import { runBrowserArchive } from '../../lib/jobs/browser-archive';
import type { JobQueue } from '../../lib/jobs/queue';
import { createJobStore } from '../../lib/jobs/store';
import type { BrowserJob } from '../../lib/jobs/types';
import type { ServerRegistry } from '../../lib/servers/registry';
import { createArchiveService } from '../../lib/service/archive';
import { createConnections, type Connections } from '../../lib/service/connections';
import { createJobIo } from '../../lib/service/job-io';
import { createMemorySpool } from '../../lib/spool/testing/memory-spool';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { pythonInspect, sevenZipTest, unzipTest } from './zip/helpers';

const run = promisify(execFile);
let sb: Sandbox;
let shareRoot: string;

async function signIn(email: string, password: string): Promise<CloudreveClient> {
  let pair: TokenPair | undefined;
  const tokens = createTokenManager({
    origin: sb.url,
    store: { load: async () => pair, save: async (next: TokenPair | undefined) => void (pair = next) },
  });
  expect((await tokens.login({ email, password })).kind).toBe('signed-in');
  return createCloudreveClient({ origin: sb.url, getAccessToken: () => tokens.getAccessToken() });
}

beforeAll(async () => {
  sb = await startSandbox({
    page: 'placeholder',
    config: { faults: { taskStepMs: 10 } },
    extraFiles: { 'Holiday/a.txt': 'alpha', 'Holiday/pics/b.jpg': 'beta', 'Holiday/pics/c.txt': 'gamma' },
  });
  // The admin shares a folder with a password; the link is all the archiving user knows.
  const admin = await signIn('admin@example.com', 'admin123');
  const link = await admin.request<string>('PUT', '/share', {
    body: { uri: 'cloudreve://my/Holiday', password: 'sesame' },
  });
  const [, id, password] = new URL(link).pathname.split('/').slice(1);
  shareRoot = `cloudreve://${id}:${password}@share`;
});
afterAll(() => sb?.stop());

/** The archive service over the real sandbox for `client`'s account; browser jobs run at once with the real engine. */
function service(client: CloudreveClient) {
  const ran: BrowserJob[] = [];
  const archive = createArchiveService({
    registry: { get: async (id: string) => ({ id, kind: 'cloudreve' }) } as unknown as ServerRegistry,
    connections: { cloudreve: async () => ({ client }) } as unknown as Connections,
    store: { put: async () => undefined } as never,
    queue: {
      enqueue: async (job: BrowserJob) => {
        const folderUri = job.destination.kind === 'cloudreve' ? job.destination.folderUri : '';
        ran.push(
          await runBrowserArchive(job, {
            store: createJobStore(job.id),
            spool: createMemorySpool(),
            source: createCloudreveSource({ client, selection: job.sources }),
            destination: createCloudreveDestination({ client, folderUri }),
            signal: new AbortController().signal,
          }),
        );
      },
    } as unknown as JobQueue,
    tasks: { follow: () => undefined, on: () => undefined },
  });
  return { archive, ran };
}

async function waitForTask(name: string) {
  for (let i = 0; i < 500; i++) {
    const task = sb.state.tasks.find((t) => t.props.dst.endsWith(`/${name}`));
    if (task && ['completed', 'error'].includes(task.status)) return task;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`task for ${name} never ended`);
}

async function expectShareZip(path: string) {
  await unzipTest(path);
  await sevenZipTest(path);
  const { bad, entries } = await pythonInspect(path);
  expect(bad).toBeNull();
  const files = entries.filter((entry) => !entry.is_dir).map((entry) => entry.name.replace(/^\//, ''));
  expect(files.sort()).toEqual(['a.txt', 'pics/b.jpg', 'pics/c.txt']);
  const { stdout } = await run('unzip', [
    '-p',
    path,
    ...entries.filter((e) => e.name.endsWith('c.txt')).map((e) => e.name),
  ]);
  expect(stdout).toBe('gamma');
}

describe('archiving a whole share link', () => {
  it('runs as a server task over the items inside the share when the group may (admin)', async () => {
    const client = await signIn('admin@example.com', 'admin123');
    const { archive, ran } = service(client);
    const started = await archive.start({
      serverId: 's',
      sources: [shareRoot],
      name: 'Holiday-server.zip',
      destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
      mode: 'auto',
    });
    expect(started.kind).toBe('server');
    expect(ran).toEqual([]);
    const task = await waitForTask('Holiday-server.zip');
    expect(task.status).toBe('completed');
    // The task got the share's items (with the password), never the share root it refuses.
    expect(task.props.src_multiple.sort()).toEqual([`${shareRoot}/a.txt`, `${shareRoot}/pics`]);
    await expectShareZip(sb.pathOf('admin@example.com', 'Holiday-server.zip'));
  });

  it('runs in the browser through the share URIs when the group may not (User group), into the visitor’s drive', async () => {
    const client = await signIn('user@example.com', 'user123');
    const { archive, ran } = service(client);
    const started = await archive.start({
      serverId: 's',
      sources: [shareRoot],
      name: 'Holiday.zip',
      destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
      mode: 'auto',
    });
    expect(started.kind).toBe('browser');
    expect(ran[0]?.error).toBeUndefined();
    expect(ran[0]?.phase).toBe('done');
    await expectShareZip(sb.pathOf('user@example.com', 'Holiday.zip'));
  });

  it('refuses a share as the destination', async () => {
    const client = await signIn('user@example.com', 'user123');
    await expect(
      service(client).archive.start({
        serverId: 's',
        sources: [`${shareRoot}/a.txt`],
        name: 'x.zip',
        destination: { kind: 'cloudreve', folderUri: shareRoot },
        mode: 'browser',
      }),
    ).rejects.toMatchObject({ code: 'invalid-uri' });
  });
});

describe('a visitor of the share link who is not signed in', () => {
  it('gets the whole share, read without any token, saved to this computer; the server’s stored token never goes out', async () => {
    // The extension holds the admin's session for this server (signed in in the options page),
    // while the page is anonymous: the job must still send no token at all.
    let stored: TokenPair | undefined;
    const tokens = createTokenManager({
      origin: sb.url,
      store: { load: async () => stored, save: async (next: TokenPair | undefined) => void (stored = next) },
    });
    expect((await tokens.login({ email: 'admin@example.com', password: 'admin123' })).kind).toBe('signed-in');
    const record = { id: 's', kind: 'cloudreve', origin: sb.url, label: 'sandbox', token: stored };
    const sent: { url: string; authorization: string | null }[] = [];
    const recording: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      sent.push({ url: request.url, authorization: request.headers.get('authorization') });
      return fetch(request);
    };
    const connections = createConnections({ get: async () => record } as unknown as ServerRegistry, {
      fetch: recording,
    });
    const dir = await mkdtemp(join(tmpdir(), 'share-anonymous-'));
    try {
      // "Save to this computer": what the offscreen document and chrome.downloads do, here a file.
      const savedHere: ArchiveDestination = {
        label: 'downloads',
        freeName: async (name) => name,
        async store(file, name) {
          await writeFile(join(dir, name), new Uint8Array(await file.arrayBuffer()));
          return { name, size: file.size };
        },
      };
      const io = createJobIo({
        connections,
        spoolFor: async () => createMemorySpool(),
        downloadDestination: () => savedHere,
      });
      const ran: BrowserJob[] = [];
      const archive = createArchiveService({
        registry: { get: async () => record } as unknown as ServerRegistry,
        connections,
        store: { put: async () => undefined } as never,
        queue: {
          enqueue: async (job: BrowserJob) => {
            const { spool, source, destination } = await io.openIo(job);
            const signal = new AbortController().signal;
            ran.push(
              await runBrowserArchive(job, { store: createJobStore(job.id), spool, source, destination, signal }),
            );
          },
        } as unknown as JobQueue,
        tasks: { follow: () => undefined, on: () => undefined },
      });
      const started = await archive.start({
        serverId: 's',
        sources: [shareRoot],
        name: 'Holiday-here.zip',
        destination: { kind: 'download' },
        mode: 'auto',
        anonymous: true,
      });
      expect(started.kind).toBe('browser');
      expect(ran[0]).toMatchObject({ phase: 'done', anonymous: true });
      expect(ran[0]?.sources.sort()).toEqual([`${shareRoot}/a.txt`, `${shareRoot}/pics`]);
      expect(ran[0]?.account).toBeUndefined();
      await expectShareZip(join(dir, 'Holiday-here.zip'));
      // Listing, URL batches and downloads went out, none of them with a token.
      expect(sent.some((request) => request.url.includes('/api/v4/file/url'))).toBe(true);
      expect(sent.filter((request) => request.authorization !== null)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses anything but share items, and any destination but this computer', async () => {
    const connections = createConnections({
      get: async () => ({ id: 's', kind: 'cloudreve', origin: sb.url, label: 'sandbox' }),
    } as unknown as ServerRegistry);
    const archive = createArchiveService({
      registry: { get: async () => ({ id: 's', kind: 'cloudreve', origin: sb.url }) } as unknown as ServerRegistry,
      connections,
      store: { put: async () => undefined } as never,
      queue: { enqueue: async () => undefined } as unknown as JobQueue,
      tasks: { follow: () => undefined, on: () => undefined },
    });
    const ask = (sources: string[], destination: BrowserJob['destination']) =>
      archive.start({ serverId: 's', sources, name: 'x.zip', destination, mode: 'browser', anonymous: true });
    await expect(ask(['cloudreve://my/Holiday'], { kind: 'download' })).rejects.toMatchObject({ code: 'invalid-uri' });
    await expect(ask([shareRoot], { kind: 'cloudreve', folderUri: 'cloudreve://my' })).rejects.toMatchObject({
      code: 'page-signed-out',
    });
  });
});
