/**
 * A WebDAV upload cancelled while its server goes away, then the worker restarts.
 * The cancel cannot delete the temporary file (the DELETE finds no server); expected
 * outcome: the job ends 'cancelled' and keeps the temporary file's name, and a new
 * engine (a restarted worker: a new job queue over the same job store) deletes it once
 * the server is back: nothing is left behind, the job no longer holds the name.
 * rclone is the server, behind a proxy that can refuse every connection (server away).
 */
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobQueue } from '../../lib/jobs/queue';
import { createJobStore } from '../../lib/jobs/store';
import type { BrowserJob } from '../../lib/jobs/types';
import { createDavClient } from '../../lib/webdav/client';
import { createDavDestination } from '../../lib/webdav/destination';
import { createMemorySpool } from '../../lib/spool/testing/memory-spool';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { DAV_PASSWORD, DAV_USER, startRclone, type DavServer } from '../../tools/dav-servers';
import { pseudoRandom } from '../integration/zip/helpers';
import { describe as callOf, runEngine, signIn } from './engine';
import { startFlakyProxy, type FlakyProxy } from './flaky-proxy';

let sb: Sandbox;
let rclone: DavServer;
let proxy: FlakyProxy;
let tokens: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  sb = await startSandbox({ page: 'placeholder', extraFiles: { 'Tree/big.bin': pseudoRandom(2_000_000, 3) } });
  tokens = await signIn(sb);
  rclone = await startRclone();
  proxy = await startFlakyProxy({ target: rclone.url, failureRate: 0 });
});
afterAll(async () => {
  await proxy?.close();
  await rclone?.stop();
  await sb?.stop();
});

const temporaryFiles = async () => (await readdir(rclone.dataDir)).filter((name) => name.includes('.part-'));

it('a cancelled upload whose temporary file could not be deleted is deleted after a restart', async () => {
  const store = createJobStore(`chaos-dav-cancel-${process.pid}`);
  const controller = new AbortController();
  const davDestination = (fetcher?: typeof fetch) =>
    createDavDestination({
      client: createDavClient({ url: proxy.url, username: DAV_USER, password: DAV_PASSWORD, fetch: fetcher }),
      folder: '',
      settleChecksMs: [0],
    });
  // The PUT reaches the server whole, then the user cancels and the server goes away before
  // the answer: the server holds the temporary file and every cleanup request is refused.
  const cancelAfterPut: typeof fetch = async (input, init) => {
    const { method } = callOf(input, init);
    if (method !== 'PUT') return fetch(input, init);
    const answer = await fetch(input, { ...init, signal: undefined });
    await answer.body?.cancel();
    proxy.down();
    controller.abort();
    throw new DOMException('The user cancelled', 'AbortError');
  };
  const cancelled = await runEngine({
    sb,
    tokens,
    sources: ['cloudreve://my/Tree'],
    folderUri: 'cloudreve://my',
    name: 'away.zip',
    signal: controller.signal,
    store,
    parts: () => ({ destination: davDestination(cancelAfterPut) }),
  });
  expect(cancelled.phase).toBe('cancelled');
  const left = await temporaryFiles();
  expect(left).toHaveLength(1);
  // The job remembers the name it could not delete.
  expect(cancelled.pendingDiscard).toMatchObject({ kind: 'webdav', temp: left[0] });
  expect((await store.get(cancelled.id)) as BrowserJob).toMatchObject({ pendingDiscard: { temp: left[0] } });

  // The worker restarts (a new queue over the same store) once the server is back.
  proxy.resume();
  const changes: BrowserJob[] = [];
  const restarted = createJobQueue({
    store,
    openIo: async () => ({ spool: createMemorySpool(), source: undefined as never, destination: davDestination() }),
    removeSpool: async () => undefined,
    onChange: (job) => void (job.kind === 'browser' && changes.push(job)),
  });
  await restarted.resume();
  expect(await temporaryFiles()).toEqual([]);
  expect(await readdir(rclone.dataDir)).toEqual([]);
  const after = (await store.get(cancelled.id)) as BrowserJob;
  expect(after.phase).toBe('cancelled');
  expect(after.pendingDiscard).toBeUndefined();
  expect(changes.at(-1)?.pendingDiscard).toBeUndefined();
});
