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
import { runLocalArchive } from '../../lib/jobs/local-archive';
import { createJobStore } from '../../lib/jobs/store';
import { newLocalJob } from '../../lib/jobs/testing/local-job';
import type { LocalJob } from '../../lib/jobs/types';
import { createMemorySpool } from '../../lib/spool/memory';
import type { Sandbox } from '../../sandbox/server';

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
}

/** Runs one fresh job to its end state and returns the final record. */
export async function runEngine(options: EngineOptions): Promise<LocalJob> {
  const client = createCloudreveClient({
    origin: options.sb.url,
    fetch: options.fetch,
    getAccessToken: options.tokens.getAccessToken,
  });
  const custom = options.parts?.(client) ?? {};
  const id = `chaos-${process.pid}-${jobs++}`;
  const job = newLocalJob(id, {
    serverId: 'sandbox',
    name: options.name ?? 'out.zip',
    sources: options.sources,
    destination: { kind: 'cloudreve', folderUri: options.folderUri },
    compression: { mode: 'store', level: 0 },
  });
  return runLocalArchive(job, {
    store: createJobStore(`chaos-${id}`),
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
