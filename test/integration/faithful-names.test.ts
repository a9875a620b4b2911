/**
 * An archive is a faithful copy: a tree of every name Linux allows, served by
 * each real WebDAV server and by the sandbox, archived by the engine (as the CLI
 * and the extension run it), gives entry names equal to the names on disk under
 * the two safety rules only (lib/zip/names.ts), and every zip passes Python's
 * zipfile, `unzip -t` and `7zz t`. On the sandbox the same selection archived by
 * its server task gives the same list. lighttpd's 400 for a name with a tab
 * skips that one file, named in the job; nginx dav_ext hides dotfiles.
 */
import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import {
  DAV_PASSWORD,
  DAV_USER,
  seedTree,
  startApache,
  startLighttpd,
  startNginx,
  startRclone,
  type DavServer,
} from '../../tools/dav-servers';
import { pythonInspect, sevenZipTest, unzipTest } from './zip/helpers';

/** Every kind of name a Linux file system holds that people actually meet. */
const HIDDEN_NAMES = [
  'tab\tname.txt',
  'back\\slash.txt',
  'cafe\u0301 (NFD).txt',
  'caf\u00e9 (NFC).txt',
  'Mixed Case.txt',
  'mixed case.txt',
  'rtl \u202etxt.exe',
  'zero\u200bwidth.txt',
  '100%.txt',
  '%20literal.txt',
  '%2F slash.txt',
  '%25 percent.txt',
  'ends-with-%',
  ` lead and trail .txt `,
  'dot.',
  '.hidden',
  'quote " and \' .txt',
  '<angle> & amp #hash ?q.txt',
  'colon: star* pipe|.txt',
  '中文 😀.txt',
  `${'n'.repeat(196)}.txt`,
];
const TAB_FILE = 'tab\tname.txt';

function tree(): Record<string, string | null> {
  const files: Record<string, string | null> = { 'tree/empty folder': null };
  for (const name of HIDDEN_NAMES) files[`tree/${name}`] = `content of ${JSON.stringify(name)}`;
  files[`tree/sub ${'d'.repeat(150)}/inner\\name.txt`] = 'inner';
  return files;
}

/**
 * The names a faithful archive of `tree/` holds: the server's listing, with only the safety
 * rules applied. `listed` is how the server spells a name on disk; `leaveOut` what it omits.
 */
function expectedNames(leaveOut: (name: string) => boolean = () => false, listed = (name: string) => name): string[] {
  const names = [
    'tree/',
    'tree/empty folder/',
    `tree/sub ${'d'.repeat(150)}/`,
    `tree/sub ${'d'.repeat(150)}/inner_name.txt`,
  ];
  for (const name of HIDDEN_NAMES) if (!leaveOut(name)) names.push(`tree/${listed(name).replaceAll('\\', '_')}`);
  return names.sort();
}

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

/** rclone's default `--local-encoding` shows a control character as its Unicode picture (a tab as ␉). */
const controlPictures = (name: string) =>
  // eslint-disable-next-line no-control-regex
  name.replace(/[\u0000-\u001f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)));
const asIs = (name: string) => name;

const davServers: [string, () => Promise<DavServer>, (name: string) => boolean, (name: string) => string][] = [
  ['rclone', startRclone, () => false, controlPictures],
  ['Apache', () => startApache(), () => false, asIs],
  // dav_ext leaves dotfiles out of PROPFIND answers: nothing a client can detect (README).
  ['nginx dav_ext', startNginx, (name) => name.startsWith('.'), asIs],
  // Lists the tab name, answers 400 to reading it: skipped and reported below.
  ['lighttpd', startLighttpd, (name) => name === TAB_FILE, asIs],
];

describe.each(davServers)('the hidden-name tree on %s', (label, start, leaveOut, listed) => {
  let server: DavServer;
  beforeAll(async () => {
    server = await start();
    seedTree(server.dataDir, tree());
  });
  afterAll(() => server?.stop());

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
    // The server writes names as they are (a backslash too); the safety rule is ours.
    expect(server.map((name) => name.replaceAll('\\', '_')).sort()).toEqual(engine);
  });
});
