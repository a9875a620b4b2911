/**
 * Two browsers archive into the same folder under the same name at the same moment.
 * Expected outcome: both jobs finish, the folder holds two archives (`race.zip` and
 * `race (1).zip`), each with its own job's content: nothing is overwritten. Each
 * engine's first write is held until the other's is ready too, so the claims meet
 * at the server in every run instead of by chance.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import { unzipTest } from '../integration/zip/helpers';
import { describe as callOf, EMAIL, listing, runEngine, startSignedInSandbox, type signIn } from './engine';

const run = promisify(execFile);
let sb: Sandbox;
let tokens: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  ({ sb, tokens } = await startSignedInSandbox({
    config: { policy: { chunkSize: 64 * 1024 } },
    extraFiles: { 'A/alpha.txt': 'from the first browser\n', 'B/beta.txt': 'from the second browser\n' },
  }));
});
afterAll(() => sb?.stop());

/** Holds the first write of each of `count` fetches until all of them reached it. */
function barrier(count: number) {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  const isWrite = (method: string, path: string) =>
    method === 'PUT' && (path === '/api/v4/file/content' || path === '/api/v4/file/upload');
  return () => {
    let held = false;
    return (async (input: RequestInfo | URL, init?: RequestInit) => {
      const { method, url } = callOf(input, init);
      if (!held && isWrite(method, url.pathname)) {
        held = true;
        if (++waiting === count) release();
        await all;
      }
      return fetch(input, init);
    }) as typeof fetch;
  };
}

it('two engines racing for one name both finish, under two names, nothing overwritten', async () => {
  const gate = barrier(2);
  const [first, second] = await Promise.all(
    ['A', 'B'].map((folder) =>
      runEngine({
        sb,
        tokens,
        sources: [`cloudreve://my/${folder}`],
        folderUri: 'cloudreve://my/Race',
        name: 'race.zip',
        fetch: gate(),
      }),
    ),
  );
  expect([first!.phase, second!.phase]).toEqual(['done', 'done']);
  expect(await listing(sb, 'Race')).toEqual(['race (1).zip', 'race.zip']);
  expect(new Set([first!.result!.name, second!.result!.name]).size).toBe(2);
  for (const [job, inside] of [
    [first!, 'A/alpha.txt'],
    [second!, 'B/beta.txt'],
  ] as const) {
    const path = sb.pathOf(EMAIL, `Race/${job.result!.name}`);
    await unzipTest(path);
    const { stdout } = await run('unzip', ['-Z1', path]);
    expect(stdout).toContain(inside);
  }
});
