/**
 * One file the Cloudreve server refuses to send (the sandbox answers its signed
 * download URL with 400): the browser engine skips it after the retries, as
 * Cloudreve's own task would, and names it with the answer it got. Everything
 * else is archived.
 */
import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileDestination } from '../../cli/file-destination';
import { createTokenManager, type TokenPair } from '../../lib/cloudreve/auth';
import { createCloudreveClient } from '../../lib/cloudreve/client';
import { createCloudreveSource } from '../../lib/cloudreve/source';
import { runBrowserArchive } from '../../lib/jobs/browser-archive';
import { createJobStore } from '../../lib/jobs/store';
import { newBrowserJob } from '../../lib/jobs/testing/browser-job';
import { createMemorySpool } from '../../lib/spool/testing/memory-spool';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { pythonInspect, sevenZipTest, unzipTest } from './zip/helpers';

let sb: Sandbox;
let out: string;
let tokens: ReturnType<typeof createTokenManager>;

beforeAll(async () => {
  sb = await startSandbox({
    page: 'placeholder',
    extraFiles: { 'mixed/a.txt': 'a', 'mixed/secret.txt': 'refused', 'mixed/z.txt': 'z' },
  });
  out = await mkdtemp(path.join(tmpdir(), 'unreadable-sandbox-'));
  let pair: TokenPair | undefined;
  tokens = createTokenManager({
    origin: sb.url,
    store: { load: async () => pair, save: async (next) => void (pair = next) },
  });
  expect((await tokens.login({ email: 'admin@example.com', password: 'admin123' })).kind).toBe('signed-in');
});
afterAll(async () => {
  await sb?.stop();
  await rm(out, { recursive: true, force: true });
});

describe('a file the Cloudreve server refuses to send', () => {
  it('is skipped and named by the browser engine, the rest archived', async () => {
    // Every download of that file answers 400.
    sb.config.faults.failRequests.push({ path: '/file/content/.*/secret\\.txt', httpStatus: 400, times: 100 });
    const client = createCloudreveClient({ origin: sb.url, getAccessToken: () => tokens.getAccessToken() });
    const job = await runBrowserArchive(
      newBrowserJob('unreadable-sb', { name: 'mixed.zip', destination: { kind: 'download' } }),
      {
        store: createJobStore('unreadable-sb'),
        spool: createMemorySpool(),
        source: createCloudreveSource({
          client,
          selection: ['cloudreve://my/mixed'],
          retry: { attempts: 2, baseDelayMs: 10 },
        }),
        destination: createFileDestination(out),
        signal: new AbortController().signal,
      },
    );
    expect(job.error).toBeUndefined();
    expect(job.phase).toBe('done');
    expect(job.unreadable).toEqual([
      { path: 'mixed/secret.txt', kind: 'file', code: 'cloudreve', reason: 'HTTP 400 downloading mixed/secret.txt' },
    ]);
    const zip = path.join(out, job.result!.name);
    await unzipTest(zip);
    await sevenZipTest(zip);
    const { entries } = await pythonInspect(zip);
    expect(entries.map((entry) => entry.name)).toEqual(['mixed/', 'mixed/a.txt', 'mixed/z.txt']);
  });
});
