/**
 * Split archives, the engine in Node against the real sandbox (source and Cloudreve
 * destination) and rclone (WebDAV destination): a selection of 9 files cut into 3 parts,
 * each a complete zip that unzip, 7-Zip and Python's zipfile open on their own, together
 * holding every file exactly once; the spool never holds more than the part being made;
 * and a worker killed after part 1 was uploaded is continued by the next with part 2.
 */
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveDestination, ArchiveSource } from '../../lib/archive/types';
import { createTokenManager, type TokenPair } from '../../lib/cloudreve/auth';
import { createCloudreveClient } from '../../lib/cloudreve/client';
import { createCloudreveDestination } from '../../lib/cloudreve/destination';
import { createFolder } from '../../lib/cloudreve/files';
import { createCloudreveSource } from '../../lib/cloudreve/source';
import { runBrowserArchive } from '../../lib/jobs/browser-archive';
import { createJobStore, type JobStore } from '../../lib/jobs/store';
import { newBrowserJob } from '../../lib/jobs/testing/browser-job';
import type { BrowserJob } from '../../lib/jobs/types';
import { createMemorySpool } from '../../lib/spool/testing/memory-spool';
import { createDavClient } from '../../lib/webdav/client';
import { createDavDestination } from '../../lib/webdav/destination';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { DAV_PASSWORD, DAV_USER, startRclone, type DavServer } from '../../tools/dav-servers';
import { pseudoRandom, pythonInspect, sevenZipTest, unzipTest } from './zip/helpers';

const EMAIL = 'admin@example.com';
const FILE = 90_000;
/** Three stored 90 kB files and their headers fit; a fourth does not. */
const PART = 300_000;
const FILES = Object.fromEntries(
  Array.from({ length: 9 }, (_, i) => [
    `Tree/${['a', 'b', 'c'][Math.floor(i / 3)]}/f${i}.bin`,
    pseudoRandom(FILE, i + 1),
  ]),
);

let sb: Sandbox;
let dav: DavServer;
let tokens: ReturnType<typeof createTokenManager>;
let jobs = 0;

beforeAll(async () => {
  sb = await startSandbox({ page: 'placeholder', extraFiles: { ...FILES, 'Tree/empty/.keep': '' } });
  dav = await startRclone();
  let pair: TokenPair | undefined;
  tokens = createTokenManager({
    origin: sb.url,
    store: { load: async () => pair, save: async (next: TokenPair | undefined) => void (pair = next) },
  });
  expect((await tokens.login({ email: EMAIL, password: 'admin123' })).kind).toBe('signed-in');
});
afterAll(async () => {
  await sb?.stop();
  await dav?.stop();
});

const client = () => createCloudreveClient({ origin: sb.url, getAccessToken: () => tokens.getAccessToken() });
const source = () => createCloudreveSource({ client: client(), selection: ['cloudreve://my/Tree'] });

function splitJob(destination: BrowserJob['destination']): BrowserJob {
  return newBrowserJob(`split-${jobs++}`, {
    serverId: 'sandbox',
    name: 'Tree.zip',
    sources: ['cloudreve://my/Tree'],
    destination,
    compression: { mode: 'store', level: 0 },
    split: { partBytes: PART },
  });
}

/** A spool that remembers the most bytes it ever held in committed segments. */
function measuredSpool() {
  const spool = createMemorySpool();
  let most = 0;
  const held = () => [...spool.files.values()].reduce((sum, blob) => sum + blob.size, 0);
  const openSegment: typeof spool.openSegment = async (name) => {
    const segment = await spool.openSegment(name);
    return Object.assign(Object.create(segment) as typeof segment, {
      commit: async () => {
        const size = await segment.commit();
        most = Math.max(most, held());
        return size;
      },
    });
  };
  return { spool: { ...spool, openSegment }, most: () => most };
}

/** Checks the parts found in `folder` (a local path) with three independent readers; returns the entry names. */
async function checkParts(folder: string, names: string[]) {
  expect(names).toEqual(['Tree.part1.zip', 'Tree.part2.zip', 'Tree.part3.zip']);
  const all: string[] = [];
  for (const name of names) {
    const zip = path.join(folder, name);
    expect((await readFile(zip)).length).toBeLessThanOrEqual(PART);
    await unzipTest(zip);
    await sevenZipTest(zip);
    const files = Object.keys(FILES).filter((file) => file.startsWith('Tree/'));
    const inspected = await pythonInspect(zip);
    expect(inspected.bad).toBeNull();
    const here = inspected.entries.map((entry) => entry.name);
    const read = await pythonInspect(
      zip,
      here.filter((entry) => files.includes(entry)),
    );
    for (const [entry, digest] of Object.entries(read.sha256)) {
      expect(digest).toBe(createHash('sha256').update(FILES[entry]!).digest('hex'));
    }
    all.push(...here);
  }
  // Every file (and folder) exactly once across the parts.
  const expected = [...Object.keys(FILES), 'Tree/empty/.keep', 'Tree/', 'Tree/a/', 'Tree/b/', 'Tree/c/', 'Tree/empty/'];
  expect([...all].sort()).toEqual(expected.sort());
  return all;
}

async function run(
  job: BrowserJob,
  destination: ArchiveDestination,
  options: { store?: JobStore; src?: ArchiveSource } = {},
) {
  const measured = measuredSpool();
  const result = await runBrowserArchive(job, {
    store: options.store ?? createJobStore(job.id),
    spool: measured.spool,
    source: options.src ?? source(),
    destination,
    signal: new AbortController().signal,
  });
  return { result, mostSpooled: measured.most() };
}

describe('a split archive', () => {
  it('lands in a Cloudreve folder as 3 independent zips, the spool holding one part at a time', async () => {
    const folderUri = 'cloudreve://my/SplitOut';
    await createFolder(client(), folderUri);
    const { result, mostSpooled } = await run(
      splitJob({ kind: 'cloudreve', folderUri }),
      createCloudreveDestination({ client: client(), folderUri }),
    );
    expect(result.error).toBeUndefined();
    expect(result.phase).toBe('done');
    expect(result.split?.plan).toHaveLength(3);
    expect(result.split?.done?.map((part) => part.name)).toEqual([
      'Tree.part1.zip',
      'Tree.part2.zip',
      'Tree.part3.zip',
    ]);
    expect(result.result?.name).toBe('Tree.part1.zip');
    expect(mostSpooled).toBeLessThanOrEqual(PART);
    const folder = sb.pathOf(EMAIL, 'SplitOut');
    await checkParts(folder, (await readdir(folder)).sort());
  });

  it('lands on a WebDAV server as 3 independent zips', async () => {
    const davClient = createDavClient({ url: dav.url, username: DAV_USER, password: DAV_PASSWORD });
    const { result } = await run(
      splitJob({ kind: 'webdav', folder: '/' }),
      createDavDestination({ client: davClient, folder: '/' }),
    );
    expect(result.error).toBeUndefined();
    expect(result.phase).toBe('done');
    await checkParts(dav.dataDir, (await readdir(dav.dataDir)).filter((name) => name.endsWith('.zip')).sort());
  });

  it('continues with part 2 after a worker killed once part 1 was uploaded', async () => {
    const folderUri = 'cloudreve://my/SplitResume';
    await createFolder(client(), folderUri);
    const store = createJobStore('split-resume');
    const job = splitJob({ kind: 'cloudreve', folderUri });
    const destination = createCloudreveDestination({ client: client(), folderUri });
    const stored: string[] = [];
    const counting: ArchiveDestination = {
      ...destination,
      freeName: (name, signal) => destination.freeName(name, signal),
      store: async (file, name, options) => {
        const done = await destination.store(file, name, options);
        stored.push(done.name);
        return done;
      },
    };
    // The first worker dies while reading the first file of part 2: that read never answers.
    const plain = source();
    let reads = 0;
    const dying: ArchiveSource = {
      list: (signal, onUnreadable) => plain.list(signal, onUnreadable),
      open: (entry, offset, signal) => (++reads > 3 ? new Promise<never>(() => {}) : plain.open(entry, offset, signal)),
    };
    void run(job, counting, { store, src: dying });
    let persisted: BrowserJob | undefined;
    for (let i = 0; i < 2000 && !persisted; i++) {
      const now = (await store.get(job.id)) as BrowserJob | undefined;
      if (now?.split?.done?.length === 1 && now.phase === 'zipping' && reads > 3) persisted = now;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(persisted, 'the first worker never got stuck in part 2').toBeDefined();
    expect(stored).toEqual(['Tree.part1.zip']);

    // A new worker: the job record as stored, a fresh spool (the part being made is redone).
    const { result } = await run({ ...persisted!, phase: 'queued' }, counting, { store });
    expect(result.error).toBeUndefined();
    expect(result.phase).toBe('done');
    // Part 1 was not made or sent again; parts 2 and 3 were, under their own names.
    expect(stored).toEqual(['Tree.part1.zip', 'Tree.part2.zip', 'Tree.part3.zip']);
    const folder = sb.pathOf(EMAIL, 'SplitResume');
    await checkParts(folder, (await readdir(folder)).sort());
  });
});
