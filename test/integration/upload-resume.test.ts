/**
 * The browser archive engine in Node against the real sandbox (and rclone for WebDAV),
 * its upload killed the way a dying MV3 service worker kills it: requests that never
 * answer, a run that is abandoned. A second run starts from the job record as the store
 * holds it at that moment, as a new worker would, and must continue the same upload.
 */
import 'fake-indexeddb/auto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveDestination } from '../../lib/archive/types';
import { createTokenManager, type TokenPair } from '../../lib/cloudreve/auth';
import { createCloudreveClient } from '../../lib/cloudreve/client';
import { createCloudreveDestination } from '../../lib/cloudreve/destination';
import { createCloudreveSource } from '../../lib/cloudreve/source';
import type { CloudreveResumeState } from '../../lib/cloudreve/upload-resume';
import { runBrowserArchive } from '../../lib/jobs/browser-archive';
import { createJobQueue } from '../../lib/jobs/queue';
import { createJobStore, type JobStore } from '../../lib/jobs/store';
import { newBrowserJob } from '../../lib/jobs/testing/browser-job';
import type { BrowserJob } from '../../lib/jobs/types';
import { createMemorySpool } from '../../lib/spool/testing/memory-spool';
import { createDavClient } from '../../lib/webdav/client';
import { createDavDestination } from '../../lib/webdav/destination';
import type { DavResumeState } from '../../lib/webdav/put-safely';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { DAV_PASSWORD, DAV_USER, startRclone, type DavServer } from '../../tools/dav-servers';
import { pseudoRandom, unzipTest } from './zip/helpers';

const CHUNK = 64 * 1024;
const EMAIL = 'admin@example.com';
/** Stored, not deflated: the archive is a little over 9 chunks. */
const PAYLOAD = pseudoRandom(600_000, 7);
const KEEP = 'an older out.zip that must survive';

let sb: Sandbox;
let tokens: ReturnType<typeof createTokenManager>;
let jobCount = 0;

beforeAll(async () => {
  sb = await startSandbox({
    page: 'placeholder',
    config: { policy: { chunkSize: CHUNK, chunkConcurrency: 3 } },
    extraFiles: { 'Source/big.bin': PAYLOAD, 'Kept/out.zip': KEEP },
  });
  let pair: TokenPair | undefined;
  tokens = createTokenManager({
    origin: sb.url,
    store: { load: async () => pair, save: async (next: TokenPair | undefined) => void (pair = next) },
  });
  expect((await tokens.login({ email: EMAIL, password: 'admin123' })).kind).toBe('signed-in');
});
afterAll(() => sb?.stop());

type Fate = 'pass' | 'lost-before' | 'lost-after';
type FateOf = (method: string, url: URL) => Fate;
const never = new Promise<never>(() => {});

/**
 * fetch as one worker sees it. `fate` decides per request whether it goes through, never
 * reaches the server ('lost-before'), or reaches it but its answer never arrives
 * ('lost-after'): what a worker killed mid-request leaves behind.
 */
function transport(fate: FateOf = () => 'pass') {
  const calls: { method: string; url: URL }[] = [];
  let atServer = 0;
  let lost = 0;
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    calls.push({ method, url });
    const verdict = fate(method, url);
    if (verdict === 'lost-before') return (lost++, never);
    atServer++;
    try {
      const response = await fetch(input, init);
      if (verdict !== 'lost-after') return response;
      await response.arrayBuffer();
      lost++;
      return never;
    } finally {
      atServer--;
    }
  }) as typeof fetch;
  /** A request was lost and no other is still being handled by the server: the worker is dead. */
  const dead = () => lost > 0 && atServer === 0;
  return { fetch: fetcher, calls, dead };
}

const CHUNK_POST = /^\/api\/v4\/file\/upload\/([^/]+)\/(\d+)$/;
const chunkPosts = (calls: { method: string; url: URL }[]) =>
  calls.filter((call) => call.method === 'POST' && CHUNK_POST.test(call.url.pathname));
const sessionsCreated = (calls: { method: string; url: URL }[]) =>
  calls.filter((call) => call.method === 'PUT' && call.url.pathname === '/api/v4/file/upload');

type Client = ReturnType<typeof createCloudreveClient>;

function newJob(destination: BrowserJob['destination']): BrowserJob {
  return newBrowserJob(`resume-${jobCount++}`, {
    serverId: 'sandbox',
    sources: ['cloudreve://my/Source/big.bin'],
    destination,
    compression: { mode: 'store', level: 0 },
  });
}

/**
 * One service worker: its own fetch for the source (Cloudreve) and for the destination
 * (Cloudreve, or a WebDAV server given as `dav`); only the destination's requests are fated.
 */
function worker(
  destinationFor: (client: Client, fetcher: typeof fetch) => ArchiveDestination,
  fate?: FateOf,
  dav = false,
) {
  const destinationTransport = transport(fate);
  const sourceTransport = dav ? transport() : destinationTransport;
  const client = createCloudreveClient({
    origin: sb.url,
    fetch: sourceTransport.fetch,
    getAccessToken: tokens.getAccessToken,
  });
  return {
    source: createCloudreveSource({ client, selection: ['cloudreve://my/Source/big.bin'] }),
    destination: destinationFor(client, destinationTransport.fetch),
    calls: destinationTransport.calls,
    dead: destinationTransport.dead,
  };
}

/** Polls the persisted record until `ready` holds for it. */
async function persistedWhen(store: JobStore, id: string, ready: (job: BrowserJob) => boolean): Promise<BrowserJob> {
  for (let i = 0; i < 1000; i++) {
    const job = (await store.get(id)) as BrowserJob | undefined;
    if (job && ready(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${id} never reached the awaited state`);
}

/**
 * Runs `job` with a first worker whose destination requests are fated by `fate`, until
 * `killedWhen` holds for the persisted record and that worker is stuck for good; then
 * abandons it and runs a second worker from the record as the store holds it.
 */
async function killAndResume(options: {
  job: BrowserJob;
  destinationFor: (client: Client, fetcher: typeof fetch) => ArchiveDestination;
  dav?: boolean;
  fate: FateOf;
  killedWhen: (job: BrowserJob) => boolean;
  beforeResume?: (persisted: BrowserJob) => void | Promise<void>;
}) {
  const store = createJobStore(`upload-resume-${options.job.id}`);
  const spool = createMemorySpool();
  const signal = new AbortController().signal;
  const first = worker(options.destinationFor, options.fate, options.dav);
  void runBrowserArchive(options.job, { store, spool, ...first, signal });
  const persisted = await persistedWhen(store, options.job.id, (job) => options.killedWhen(job) && first.dead());
  await options.beforeResume?.(persisted);

  const second = worker(options.destinationFor, undefined, options.dav);
  const resumed = await runBrowserArchive({ ...persisted, phase: 'queued' }, { store, spool, ...second, signal });
  return { persisted, resumed, second: second.calls };
}

/** A job into the sandbox folder `folder`, resumed after the kill `fate` and `killedWhen` describe. */
const killAndResumeCloudreve = (
  folder: string,
  kill: Pick<Parameters<typeof killAndResume>[0], 'fate' | 'killedWhen' | 'beforeResume'>,
) =>
  killAndResume({
    job: newJob({ kind: 'cloudreve', folderUri: `cloudreve://my/${folder}` }),
    destinationFor: (client) => createCloudreveDestination({ client, folderUri: `cloudreve://my/${folder}` }),
    ...kill,
  });

const sessionOf = (job: BrowserJob) => (job.upload?.resume as CloudreveResumeState | undefined)?.session;
const diskPath = (folder: string, name = '') => sb.pathOf(EMAIL, name ? `${folder}/${name}` : folder);

async function expectOneGoodArchive(folder: string, resumed: BrowserJob, others: string[] = []) {
  expect(resumed.phase).toBe('done');
  const archive = resumed.result!.name;
  expect((await readdir(diskPath(folder))).sort()).toEqual([...others, archive].sort());
  const bytes = await readFile(diskPath(folder, archive));
  expect(bytes.length).toBe(resumed.archiveSize);
  await unzipTest(diskPath(folder, archive));
  return archive;
}

describe('Cloudreve upload after a killed worker', () => {
  it('sends only the missing chunks to the same session, and overwrites nothing', async () => {
    let forwarded = 0;
    const KILL_AFTER = 4;
    const { persisted, resumed, second } = await killAndResumeCloudreve('Kept', {
      // The worker dies after the server took 4 chunks: later chunk requests never leave.
      fate: (method, url) =>
        method === 'POST' && CHUNK_POST.test(url.pathname) && ++forwarded > KILL_AFTER ? 'lost-before' : 'pass',
      killedWhen: (job) => sessionOf(job)?.done.length === KILL_AFTER,
    });
    const session = sessionOf(persisted)!;
    expect(persisted.upload!.name).toBe('out (1).zip');
    const total = Math.ceil(resumed.archiveSize! / CHUNK);
    expect(total).toBe(10);

    expect(sessionsCreated(second)).toHaveLength(0);
    const sent = chunkPosts(second).map((call) => CHUNK_POST.exec(call.url.pathname)!);
    expect(sent.every(([, id]) => id === session.id)).toBe(true);
    expect(sent.map(([, , index]) => Number(index)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: total }, (_, i) => i).filter((i) => !session.done.includes(i)),
    );
    expect(sent).toHaveLength(total - KILL_AFTER);

    expect(await expectOneGoodArchive('Kept', resumed, ['out.zip'])).toBe('out (1).zip');
    expect(await readFile(diskPath('Kept', 'out.zip'), 'utf8')).toBe(KEEP);
  });

  it('stores no second copy when the last chunk completed the upload but its answer was lost', async () => {
    const { resumed, second } = await killAndResumeCloudreve('LastAnswerLost', {
      fate: (method, url) => (method === 'POST' && url.pathname.endsWith('/9') ? 'lost-after' : 'pass'),
      killedWhen: (job) => sessionOf(job)?.done.length === 9,
    });
    // The one chunk sent again meets 40011 (the session completed); the file is ours.
    expect(chunkPosts(second)).toHaveLength(1);
    expect(sessionsCreated(second)).toHaveLength(0);
    expect(await expectOneGoodArchive('LastAnswerLost', resumed)).toBe('out.zip');
  });

  it('stores no second copy when killed after the upload finished, before verifying was saved', async () => {
    let uploaded = false;
    const { persisted, resumed, second } = await killAndResumeCloudreve('BeforeVerify', {
      // uploadFile's own check of the stored file never answers: the worker died there.
      fate: (method, url) => {
        if (method === 'POST' && url.pathname.endsWith('/9')) uploaded = true;
        return uploaded && url.pathname === '/api/v4/file/info' ? 'lost-before' : 'pass';
      },
      killedWhen: (job) => sessionOf(job)?.done.length === 10,
    });
    expect(persisted.phase).toBe('uploading');
    expect(chunkPosts(second)).toHaveLength(0);
    expect(sessionsCreated(second)).toHaveLength(0);
    expect(await expectOneGoodArchive('BeforeVerify', resumed)).toBe('out.zip');
  });

  it('replaces a session that expired meanwhile by a new one for the same name, removing its placeholder', async () => {
    let forwarded = 0;
    const { resumed, second } = await killAndResumeCloudreve('Expired', {
      fate: (method, url) =>
        method === 'POST' && CHUNK_POST.test(url.pathname) && ++forwarded > 3 ? 'lost-before' : 'pass',
      killedWhen: (job) => sessionOf(job)?.done.length === 3,
      beforeResume: (persisted) => {
        sb.state.uploads.get(sessionOf(persisted)!.id)!.expiresAt = Date.now() - 1;
      },
    });
    expect(sessionsCreated(second)).toHaveLength(1);
    expect(second.some((call) => call.method === 'DELETE' && call.url.pathname === '/api/v4/file/upload')).toBe(true);
    // Chunks in flight to the old session (at most the concurrency) met 40011; the new one took all.
    const sessions = chunkPosts(second).map((call) => CHUNK_POST.exec(call.url.pathname)![1]);
    const fresh = sessions.at(-1);
    expect(sessions.filter((id) => id !== fresh).length).toBeLessThanOrEqual(3);
    expect(sessions.filter((id) => id === fresh)).toHaveLength(10);
    expect(await expectOneGoodArchive('Expired', resumed)).toBe('out.zip');
  });
});

describe('a job cancelled after its worker was killed mid-upload', () => {
  it('cancels the recorded session, so no placeholder is left in the folder', async () => {
    const folderUri = 'cloudreve://my/CancelledAfterKill';
    const job = newJob({ kind: 'cloudreve', folderUri });
    const store = createJobStore(`upload-resume-${job.id}`);
    const spool = createMemorySpool();
    const destinationFor = (client: Client) => createCloudreveDestination({ client, folderUri });
    let forwarded = 0;
    const first = worker(destinationFor, (method, url) =>
      method === 'POST' && CHUNK_POST.test(url.pathname) && ++forwarded > 2 ? 'lost-before' : 'pass',
    );
    void runBrowserArchive(job, { store, spool, ...first, signal: new AbortController().signal });
    const persisted = await persistedWhen(
      store,
      job.id,
      (record) => sessionOf(record)?.done.length === 2 && first.dead(),
    );
    // The placeholder the session created is there (BE dbfs/upload.go).
    expect(await readdir(diskPath('CancelledAfterKill'))).toEqual(['out.zip']);

    // A new worker: the user cancels the job before it is resumed.
    const second = worker(destinationFor);
    const queue = createJobQueue({
      store,
      openIo: async () => ({ spool, source: second.source, destination: second.destination }),
      removeSpool: () => spool.remove(),
      onChange: () => undefined,
    });
    expect(persisted.phase).toBe('uploading');
    await queue.cancel(job.id);

    expect(second.calls.some((call) => call.method === 'DELETE' && call.url.pathname === '/api/v4/file/upload')).toBe(
      true,
    );
    expect(await readdir(diskPath('CancelledAfterKill'))).toEqual([]);
    expect(sb.state.uploads.has(sessionOf(persisted)!.id)).toBe(false);
    expect(await store.get(job.id)).toMatchObject({ phase: 'cancelled', upload: undefined });
  });
});

describe('WebDAV (rclone) upload after a killed worker', () => {
  let rclone: DavServer;
  beforeAll(async () => {
    rclone = await startRclone();
    // Made before rclone lists anything: it caches listings and would not see folders made later.
    for (const folder of ['MoveLost', 'PutLost']) await mkdir(path.join(rclone.dataDir, folder));
  });
  afterAll(() => rclone?.stop());

  /** A job into the rclone folder `folder`; the record's MOVE/PUT state decides when the worker died. */
  async function killAndResumeDav(folder: string, fate: FateOf, killedWhen: (state: DavResumeState) => boolean) {
    let leftAtKill: string[] = [];
    const result = await killAndResume({
      job: newJob({ kind: 'webdav', folder }),
      dav: true,
      destinationFor: (_client, fetcher) =>
        createDavDestination({
          client: createDavClient({ url: rclone.url, username: DAV_USER, password: DAV_PASSWORD, fetch: fetcher }),
          folder,
        }),
      fate,
      killedWhen: (job) => Boolean(job.upload?.resume && killedWhen(job.upload.resume as DavResumeState)),
      beforeResume: async () => void (leftAtKill = await readdir(path.join(rclone.dataDir, folder))),
    });
    return { ...result, leftAtKill };
  }

  async function expectOneDavArchive(folder: string, resumed: BrowserJob) {
    expect(resumed.phase).toBe('done');
    const dir = path.join(rclone.dataDir, folder);
    expect(await readdir(dir)).toEqual([resumed.result!.name]);
    expect((await readFile(path.join(dir, resumed.result!.name))).length).toBe(resumed.archiveSize);
    await unzipTest(path.join(dir, resumed.result!.name));
  }

  it('stores no second copy when the MOVE happened but its answer was lost', async () => {
    const { resumed, second } = await killAndResumeDav(
      'MoveLost',
      (method) => (method === 'MOVE' ? 'lost-after' : 'pass'),
      (state) => state.movingTo !== undefined,
    );
    expect(second.filter((call) => call.method === 'PUT')).toHaveLength(0);
    expect(resumed.result!.name).toBe('out.zip');
    await expectOneDavArchive('MoveLost', resumed);
  });

  it('removes the temporary file a killed PUT left and uploads again to the same name', async () => {
    const { persisted, resumed, second, leftAtKill } = await killAndResumeDav(
      'PutLost',
      (method) => (method === 'PUT' ? 'lost-after' : 'pass'),
      (state) => state.temp !== undefined,
    );
    const temp = (persisted.upload!.resume as DavResumeState).temp;
    // The first PUT did reach the server before the worker died.
    expect(leftAtKill).toEqual([temp]);
    expect(
      second.some((call) => call.method === 'DELETE' && decodeURIComponent(call.url.pathname).endsWith(temp)),
    ).toBe(true);
    expect(resumed.result!.name).toBe('out.zip');
    await expectOneDavArchive('PutLost', resumed);
  });
});
