/**
 * An archive is a faithful copy: a tree of every name Linux allows, served by
 * each real WebDAV server and by the sandbox, archived by the engine in Node and
 * by `npm run archive` itself (test/e2e/faithful-names.test.ts: by the extension
 * in Chromium and Firefox), gives entry names equal to the names on disk under
 * the two safety rules only (lib/zip/names.ts), and every zip passes Python's
 * zipfile, `unzip -t` and `7zz t`. On the sandbox the same selection archived by
 * its server task gives the same list. lighttpd's 400 for a name with a tab
 * skips that one file, named in the job; nginx dav_ext hides dotfiles.
 */
import 'fake-indexeddb/auto';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_ENV } from '../../cli/password';
import type { ArchiveSource } from '../../lib/archive/types';
import { createTokenManager, type TokenPair } from '../../lib/cloudreve/auth';
import { createCloudreveClient } from '../../lib/cloudreve/client';
import { createCloudreveSource } from '../../lib/cloudreve/source';
import { runBrowserArchive } from '../../lib/jobs/browser-archive';
import { createJobStore } from '../../lib/jobs/store';
import { newBrowserJob } from '../../lib/jobs/testing/browser-job';
import { createMemorySpool } from '../../lib/spool/testing/memory-spool';
import { createDavClient } from '../../lib/webdav/client';
import { createDavSource } from '../../lib/webdav/source';
import { createFileDestination } from '../../cli/file-destination';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { api, login } from '../../sandbox/test/helpers';
import { DAV_PASSWORD, DAV_USER, seedTree, type DavServer } from '../../tools/dav-servers';
import { DAV_SERVERS, expectedNames, TAB_FILE, tree } from '../helpers/hidden-names';
import { pythonInspect, sevenZipTest, unzipTest } from './zip/helpers';

const run = promisify(execFile);
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'faithful-names-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

let jobs = 0;
/** Runs the engine as the CLI does (memory spool, a local folder as destination). */
async function archive(source: ArchiveSource) {
  const id = `faithful-${jobs++}`;
  const job = await runBrowserArchive(newBrowserJob(id, { name: `${id}.zip`, destination: { kind: 'download' } }), {
    store: createJobStore(id),
    spool: createMemorySpool(),
    source,
    destination: createFileDestination(scratch),
    signal: new AbortController().signal,
  });
  expect(job.error).toBeUndefined();
  expect(job.phase).toBe('done');
  return { job, zip: path.join(scratch, job.result!.name) };
}

/** Entry names by Python's zipfile after testzip, `unzip -t` and `7zz t` all pass. */
async function checkedNames(zip: string): Promise<string[]> {
  await unzipTest(zip);
  await sevenZipTest(zip);
  const { bad, entries } = await pythonInspect(zip);
  expect(bad).toBeNull();
  return entries.map((entry) => entry.name).sort();
}

describe.each(DAV_SERVERS)('the hidden-name tree on %s', (label, start, leaveOut, listed) => {
  let server: DavServer;
  beforeAll(async () => {
    server = await start();
    seedTree(server.dataDir, tree());
  });
  afterAll(() => server?.stop());

  it('is archived by `npm run archive` with the same names, the unreadable file named on its last line', async () => {
    const out = await mkdtemp(path.join(scratch, 'cli-'));
    const args = ['--webdav', server.url, '--user', DAV_USER, '--out', out, '--name', 'tree.zip', '--json', 'tree'];
    const run = await runCli(args, { [PASSWORD_ENV]: DAV_PASSWORD });
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { unreadable: { path: string }[] };
    expect(report.unreadable.map((item) => item.path)).toEqual(label === 'lighttpd' ? [`tree/${TAB_FILE}`] : []);
    expect(await checkedNames(path.join(out, 'tree.zip'))).toEqual(expectedNames(leaveOut, listed));
  });

  it('is archived with the names on disk under the two safety rules only', async () => {
    const client = createDavClient({ url: server.url, username: DAV_USER, password: DAV_PASSWORD });
    const { job, zip } = await archive(createDavSource({ client, selection: ['tree'] }));
    expect(await checkedNames(zip)).toEqual(expectedNames(leaveOut, listed));
    expect(job.renamed?.map((entry) => entry.reasons)).toEqual([['backslash'], ['backslash']]);
    if (label === 'lighttpd') {
      expect(job.unreadable).toEqual([
        { path: `tree/${TAB_FILE}`, kind: 'file', code: 'webdav', reason: 'WebDAV GET answered HTTP 400' },
      ]);
      expect(job.progress.skipped).toBe(1);
    } else expect(job.unreadable).toEqual([]);
  });
});

/** Runs `npm run archive`'s script with `env` added; fails the test on a non-zero exit, with its output. */
async function runCli(args: string[], env: Record<string, string>): Promise<{ stdout: string }> {
  try {
    return await run('npx', ['tsx', 'cli/main.ts', ...args], { timeout: 180_000, env: { ...process.env, ...env } });
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    throw new Error(`CLI exited ${failed.code}: ${failed.stderr}${failed.stdout}`, { cause: error });
  }
}

describe('the hidden-name tree on the sandbox', () => {
  let sb: Sandbox;
  let tokens: ReturnType<typeof createTokenManager>;
  beforeAll(async () => {
    const files = Object.fromEntries(
      Object.entries(tree()).filter((pair): pair is [string, string] => pair[1] !== null),
    );
    sb = await startSandbox({ page: 'placeholder', config: { faults: { taskStepMs: 10 } }, extraFiles: files });
    let pair: TokenPair | undefined;
    tokens = createTokenManager({
      origin: sb.url,
      store: { load: async () => pair, save: async (next) => void (pair = next) },
    });
    expect((await tokens.login({ email: 'admin@example.com', password: 'admin123' })).kind).toBe('signed-in');
  });
  afterAll(() => sb?.stop());

  it('gives the same entry names in the browser engine as the server task, under the safety rules', async () => {
    const client = createCloudreveClient({ origin: sb.url, getAccessToken: () => tokens.getAccessToken() });
    const { zip } = await archive(createCloudreveSource({ client, selection: ['cloudreve://my/tree'] }));
    // The sandbox seeds no empty folder from extraFiles: everything else is on disk.
    const engine = (await checkedNames(zip)).filter((name) => name !== 'tree/empty folder/');
    expect(engine).toEqual(expectedNames().filter((name) => name !== 'tree/empty folder/'));

    const token = await login(sb);
    const created = await api<{ id: string }>(sb, '/workflow/archive', {
      method: 'POST',
      token,
      body: { src: ['cloudreve://my/tree'], dst: 'cloudreve://my/server-task.zip' },
    });
    expect(created.code).toBe(0);
    for (let status = ''; status !== 'completed';) {
      const list = await api<{ tasks: { id: string; status: string; error?: string }[] }>(
        sb,
        '/workflow?page_size=100&category=general',
        { token },
      );
      const task = list.data!.tasks.find((t) => t.id === created.data!.id)!;
      expect(task.error).toBeUndefined();
      status = task.status;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const server = await checkedNames(sb.pathOf('admin@example.com', 'server-task.zip'));
    const out = await mkdtemp(path.join(scratch, 'cli-'));
    const args = ['--cloudreve', sb.url, '--email', 'admin@example.com', '--out', out, '--name', 'cli.zip'];
    await runCli([...args, '--quiet', 'cloudreve://my/tree'], { [PASSWORD_ENV]: 'admin123' });
    expect((await checkedNames(path.join(out, 'cli.zip'))).filter((name) => name !== 'tree/empty folder/')).toEqual(
      engine,
    );
    // The server writes names as they are (a backslash too); the safety rule is ours.
    expect(server.map((name) => name.replaceAll('\\', '_')).sort()).toEqual(engine);
  });
});
