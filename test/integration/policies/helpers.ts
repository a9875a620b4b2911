/**
 * Shared set-up of the provider-policy upload tests: a signed-in client whose requests are
 * recorded and can be lost the way a killed worker loses them, and the upload's recorded
 * resume state.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ResumeState } from '../../../lib/archive/types';
import { createTokenManager, type TokenPair } from '../../../lib/cloudreve/auth';
import { createCloudreveClient } from '../../../lib/cloudreve/client';
import type { CloudreveResumeState } from '../../../lib/cloudreve/upload-resume';
import type { Sandbox } from '../../../sandbox/server';

export interface Call {
  method: string;
  url: URL;
  headers: Headers;
}

/** 'lost-after': reaches the server, but its answer never arrives (the worker died meanwhile). */
export type Fate = 'pass' | 'lost-before' | 'lost-after';

const never = new Promise<never>(() => {});

export async function signIn(sb: Sandbox) {
  let pair: TokenPair | undefined;
  const tokens = createTokenManager({
    origin: sb.url,
    store: { load: async () => pair, save: async (next: TokenPair | undefined) => void (pair = next) },
  });
  const result = await tokens.login({ email: 'admin@example.com', password: 'admin123' });
  if (result.kind !== 'signed-in') throw new Error('sign-in failed');
  return tokens;
}

export type Tokens = Awaited<ReturnType<typeof signIn>>;

/** A client as one worker has it; `fate` decides per request whether it goes through. */
export function workerClient(sb: Sandbox, tokens: Tokens, fate: (call: Call) => Fate = () => 'pass') {
  const calls: Call[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const call = { method: (init?.method ?? 'GET').toUpperCase(), url, headers: new Headers(init?.headers) };
    calls.push(call);
    const verdict = fate(call);
    if (verdict === 'lost-before') return never;
    const response = await fetch(input, init);
    if (verdict === 'pass') return response;
    await response.arrayBuffer();
    return never;
  }) as typeof fetch;
  const client = createCloudreveClient({ origin: sb.url, fetch: fetcher, getAccessToken: tokens.getAccessToken });
  return { client, calls };
}

/** Records every resume state an upload reports; `latest` is what the job store would hold. */
export function recorder() {
  const states: CloudreveResumeState[] = [];
  return {
    states,
    latest: () => states.at(-1) as ResumeState | undefined,
    onResumeState: async (state: ResumeState) => void states.push(structuredClone(state) as CloudreveResumeState),
    /** Resolves once a recorded state satisfies `ready`. */
    async until(ready: (state: CloudreveResumeState) => boolean): Promise<CloudreveResumeState> {
      for (let i = 0; i < 6000; i++) {
        const found = states.find(ready);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('the upload never recorded the awaited state');
    },
  };
}

/** Polls `check` until it holds (bounded by attempts, not by wall-clock speed). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}

/** Deterministic incompressible bytes. */
export function bytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(length));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Requests that carried an Authorization header to an origin other than Cloudreve's Bearer token… */
export const bearerLeaks = (calls: Call[], cloudreveOrigin: string) =>
  calls.filter(
    (call) => call.url.origin !== cloudreveOrigin && /^Bearer /i.test(call.headers.get('authorization') ?? ''),
  );

/** The file a `cloudreve://my/…` URI stands for in the sandbox. */
export const storedPath = (sb: Sandbox, uri: string) =>
  sb.pathOf('admin@example.com', decodeURIComponent(uri.replace('cloudreve://my/', '')));

/** SHA-256 of bytes: compares megabytes at once (a deep equality over every byte would take minutes). */
export const digest = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
export const digestOf = async (path: string) => digest(await readFile(path));
