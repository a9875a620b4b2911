/**
 * One archive engine as a service worker runs it, in Node: a job store, a spool,
 * a Cloudreve source and destination over a fetch the test may wrap. The chaos cases
 * start several of these against one sandbox and check the server's listing afterwards.
 */
import 'fake-indexeddb/auto';
import { readdir } from 'node:fs/promises';
import type { ArchiveDestination, ArchiveSource } from '../../lib/archive/types';
import { createTokenManager, type TokenPair } from '../../lib/cloudreve/auth';
import { createCloudreveClient, type CloudreveClient } from '../../lib/cloudreve/client';
import { createCloudreveDestination } from '../../lib/cloudreve/destination';
import { createCloudreveSource } from '../../lib/cloudreve/source';
import { createDavClient } from '../../lib/webdav/client';
import { runBrowserArchive } from '../../lib/jobs/browser-archive';
import { createJobQueue } from '../../lib/jobs/queue';
import { createJobStore, type JobStore } from '../../lib/jobs/store';
import { JOB_RETRY, type RetryPolicy } from '../../lib/net/retry-policy';
import { createJobIo } from '../../lib/service/job-io';
import { newBrowserJob } from '../../lib/jobs/testing/browser-job';
import type { BrowserJob } from '../../lib/jobs/types';
import { createMemorySpool } from '../../lib/spool/testing/memory-spool';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server';

export const EMAIL = 'admin@example.com';
const PASSWORD = 'admin123';

/** Signs in to the sandbox once; every engine shares the tokens, as two tabs of one user would. */
export async function signIn(sb: Sandbox) {
  let pair: TokenPair | undefined;
  const tokens = createTokenManager({
    origin: sb.url,
    store: { load: async () => pair, save: async (next: TokenPair | undefined) => void (pair = next) },
  });
  const outcome = await tokens.login({ email: EMAIL, password: PASSWORD });
  if (outcome.kind !== 'signed-in') throw new Error(`sign-in: ${outcome.kind}`);
  return tokens;
}

/** The sandbox (no web page) with its user signed in once, for the cases that run engines against it. */
export async function startSignedInSandbox(options: SandboxOptions) {
  const sb = await startSandbox({ page: 'placeholder', ...options });
  return { sb, tokens: await signIn(sb) };
}

/** Short waits between tries (a policy parameter, not a deadline): the budgets stay the extension's. */
export function quickRetry(maxDelayMs: number): RetryPolicy {
  return { ...JOB_RETRY, baseDelayMs: 50, maxDelayMs };
}

let jobs = 0;

export interface EngineOptions {
  sb: Sandbox;
  tokens: Awaited<ReturnType<typeof signIn>>;
  /** Selected `cloudreve://my/…` URIs. */
  sources: string[];
  /** Destination folder, e.g. `cloudreve://my/Out`. */
  folderUri: string;
  name?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Builds the parts instead of the defaults (e.g. a source with a shorter retry policy). */
  parts?: (client: CloudreveClient) => { source?: ArchiveSource; destination?: ArchiveDestination };
  /** The job store (default a new one per job), e.g. for a later engine over the same records. */
  store?: JobStore;
}

/** Runs one fresh job to its end state and returns the final record. */
export async function runEngine(options: EngineOptions): Promise<BrowserJob> {
  const client = createCloudreveClient({
    origin: options.sb.url,
    fetch: options.fetch,
    getAccessToken: options.tokens.getAccessToken,
  });
  const custom = options.parts?.(client) ?? {};
  const id = `chaos-${process.pid}-${jobs++}`;
  const job = newBrowserJob(id, {
    serverId: 'sandbox',
    name: options.name ?? 'out.zip',
    sources: options.sources,
    destination: { kind: 'cloudreve', folderUri: options.folderUri },
    compression: { mode: 'store', level: 0 },
  });
  return runBrowserArchive(job, {
    store: options.store ?? createJobStore(`chaos-${id}`),
    spool: createMemorySpool(),
    source: custom.source ?? createCloudreveSource({ client, selection: options.sources }),
    destination: custom.destination ?? createCloudreveDestination({ client, folderUri: options.folderUri }),
    signal: options.signal ?? new AbortController().signal,
  });
}

/** The names in a sandbox folder of the signed-in user, sorted. */
export async function listing(sb: Sandbox, folder: string): Promise<string[]> {
  return (await readdir(sb.pathOf(EMAIL, folder)).catch(() => [] as string[])).sort();
}

/** The method and path of a fetch call. */
export function describe(input: RequestInfo | URL, init?: RequestInit): { method: string; url: URL } {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  return { method, url };
}

export interface QueuedJobOptions {
  /** Origin the job talks to (the sandbox, or a proxy in front of it). */
  origin: string;
  /** Cloudreve tokens; absent for a job from a WebDAV server to the same server. */
  tokens?: Awaited<ReturnType<typeof signIn>>;
  /** A WebDAV job: `origin` is the server's base URL, `folderUri` a folder path on it. */
  webdav?: { username: string; password: string };
  sources: string[];
  folderUri: string;
  name?: string;
  retry?: RetryPolicy;
  /** Every record the queue broadcasts, e.g. to see "waiting for the server". */
  onChange?: (job: BrowserJob) => void;
}

/**
 * Runs one job the way the service worker does: the job queue, with its parts built by
 * lib/service/job-io.ts (so every request goes through the job's retrying fetch).
 */
export async function runQueuedJob(options: QueuedJobOptions): Promise<BrowserJob> {
  const id = `chaos-${process.pid}-${jobs++}`;
  const store = createJobStore(`chaos-${id}`);
  const spool = createMemorySpool();
  type Wrap = (fetcher: typeof fetch) => typeof fetch;
  const fetchOf = (wrap?: Wrap) => (wrap ? wrap((input, init) => fetch(input, init)) : undefined);
  const { tokens, webdav } = options;
  const io = createJobIo({
    // The worker's connections, reduced to the one server of the test.
    connections: {
      cloudreve: async (_serverId: string, wrap?: Wrap) => {
        if (!tokens) throw new Error('no Cloudreve here');
        const client = createCloudreveClient({
          origin: options.origin,
          fetch: fetchOf(wrap),
          getAccessToken: tokens.getAccessToken,
        });
        return { client, tokens };
      },
      dav: async (_serverId: string, wrap?: Wrap) => {
        if (!webdav) throw new Error('no WebDAV here');
        return createDavClient({ url: options.origin, ...webdav, fetch: fetchOf(wrap) });
      },
    },
    spoolFor: async () => spool,
    retry: options.retry,
  });
  const queue = createJobQueue({
    store,
    openIo: io.openIo,
    removeSpool: () => spool.remove(),
    onChange: (job) => {
      if (job.kind === 'browser') options.onChange?.(job);
    },
  });
  await queue.enqueue(
    newBrowserJob(id, {
      serverId: 'sandbox',
      name: options.name ?? 'out.zip',
      sources: options.sources,
      ...(webdav
        ? { route: 'webdav' as const, destination: { kind: 'webdav' as const, folder: options.folderUri } }
        : { destination: { kind: 'cloudreve' as const, folderUri: options.folderUri } }),
      compression: { mode: 'store', level: 0 },
    }),
  );
  await queue.idle();
  return (await store.get(id)) as BrowserJob;
}
