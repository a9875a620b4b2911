/**
 * Archiving a share link (issue 15 "Shares") through the archive service against the
 * sandbox's share links: a user whose group may run archive tasks gets a server task over
 * the items inside the share (the task refuses the share root); a user whose group may
 * not gets the browser engine, which lists and downloads through the share's URIs. Both
 * zips land in the signed-in user's own drive and hold the share's files exactly.
 */
import 'fake-indexeddb/auto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenManager, type TokenPair } from '../../lib/cloudreve/auth';
import { createCloudreveClient, type CloudreveClient } from '../../lib/cloudreve/client';
import { createCloudreveDestination } from '../../lib/cloudreve/destination';
import { createCloudreveSource } from '../../lib/cloudreve/source';
import { runBrowserArchive } from '../../lib/jobs/browser-archive';
import type { JobQueue } from '../../lib/jobs/queue';
import { createJobStore } from '../../lib/jobs/store';
import type { BrowserJob } from '../../lib/jobs/types';
import type { ServerRegistry } from '../../lib/servers/registry';
import { createArchiveService } from '../../lib/service/archive';
import type { Connections } from '../../lib/service/connections';
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
