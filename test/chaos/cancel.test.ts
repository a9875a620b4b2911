/**
 * Cancel at each phase of a job. Expected outcome every time: the job ends 'cancelled',
 * the destination folder holds nothing (no archive, no upload placeholder), the sources
 * are untouched. The cancel comes from the moment a request of that phase is sent.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { pseudoRandom } from '../integration/zip/helpers';
import { describe as callOf, EMAIL, listing, runEngine, signIn } from './engine';

const BIG = pseudoRandom(1_200_000, 5);
let sb: Sandbox;
let tokens: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  sb = await startSandbox({
    page: 'placeholder',
    config: { policy: { chunkSize: 128 * 1024, chunkConcurrency: 1 } },
    extraFiles: { 'Tree/big.bin': BIG, 'Tree/small.txt': 'small' },
  });
  tokens = await signIn(sb);
});
afterAll(() => sb?.stop());

const PHASES: [string, (method: string, path: string) => boolean][] = [
  ['listing', (method, path) => method === 'GET' && path === '/api/v4/file'],
  ['zipping', (method, path) => method === 'GET' && path.startsWith('/api/v4/file/content/')],
  ['uploading', (method, path) => method === 'POST' && /^\/api\/v4\/file\/upload\/[^/]+\/2$/.test(path)],
];

it.each(PHASES)('cancelled while %s: nothing is left in the destination', async (phase, at) => {
  const controller = new AbortController();
  const job = await runEngine({
    sb,
    tokens,
    sources: ['cloudreve://my/Tree'],
    folderUri: `cloudreve://my/Cancel-${phase}`,
    signal: controller.signal,
    fetch: async (input, init) => {
      const { method, url } = callOf(input, init);
      if (at(method, url.pathname)) controller.abort();
      return fetch(input, init);
    },
  });
  expect(controller.signal.aborted).toBe(true);
  expect(job.phase).toBe('cancelled');
  expect(await listing(sb, `Cancel-${phase}`)).toEqual([]);
  expect((await readFile(sb.pathOf(EMAIL, 'Tree/big.bin'))).equals(BIG)).toBe(true);
});
