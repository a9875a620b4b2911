/**
 * `npm run archive` end to end against lighttpd: the default archive name from
 * awkward positionals, and the report of a file that cannot be read (lighttpd
 * answers 400 to a name with a tab) on the last line and in `--json`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAV_PASSWORD, DAV_USER, seedTree, startLighttpd, type DavServer } from '../../tools/dav-servers';
import { pythonInspect } from './zip/helpers';

const run = promisify(execFile);

let server: DavServer;
let out: string;

beforeAll(async () => {
  server = await startLighttpd();
  seedTree(server.dataDir, {
    'tree/ends-with-%/a.txt': 'a',
    'tree/dir%20literal/b.txt': 'b',
    'tree/mixed/tab\tname.txt': 'unreadable on lighttpd',
    'tree/mixed/ok.txt': 'ok',
    // Three stored 100 kB files: parts of 256 KiB hold two of them.
    'tree/split/1.bin': 'x'.repeat(100_000),
    'tree/split/2.bin': 'y'.repeat(100_000),
    'tree/split/3.bin': 'z'.repeat(100_000),
  });
  out = await mkdtemp(path.join(tmpdir(), 'cli-out-'));
});
afterAll(async () => {
  await server?.stop();
  await rm(out, { recursive: true, force: true });
});

/** Runs the CLI; resolves with its exit code and output whatever the code. */
async function cli(...args: string[]) {
  const base = ['--webdav', server.url, '--user', DAV_USER, '--password', DAV_PASSWORD, '--out', out, '--quiet'];
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'cli/main.ts', ...base, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run archive', () => {
  it('names the archive after a WebDAV positional as it is: a trailing % and a literal %20 stay', async () => {
    const percent = await cli('tree/ends-with-%');
    expect(percent.stderr).not.toContain('URIError');
    expect(percent.code).toBe(0);
    const literal = await cli('tree/dir%20literal');
    expect(literal.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['dir%20literal.zip', 'ends-with-%.zip']);
    const { entries } = await pythonInspect(path.join(out, 'dir%20literal.zip'));
    expect(entries.map((entry) => entry.name)).toEqual(['dir%20literal/', 'dir%20literal/b.txt']);
  });

  it('archives the rest when a file cannot be read and says which, on the last line and in --json', async () => {
    const text = await cli('tree/mixed', '--name', 'mixed.zip');
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n').at(-1)).toMatch(/^mixed\.zip \(\d+ bytes\) → .*; 1 could not be read$/);
    expect(text.stderr).toContain('could not read "mixed/tab\\tname.txt": WebDAV GET answered HTTP 400');

    const json = await cli('tree/mixed', '--name', 'mixed-json.zip', '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({
      phase: 'done',
      skipped: 1,
      unreadable: [{ path: 'mixed/tab\tname.txt', kind: 'file', code: 'webdav' }],
    });
    const { entries } = await pythonInspect(path.join(out, 'mixed-json.zip'));
    expect(entries.map((entry) => entry.name)).toEqual(['mixed/', 'mixed/ok.txt']);
  });

  it('splits into independent parts with --split, and refuses a size that is not one', async () => {
    const bad = await cli('tree/split', '--split', '4X');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--split 4X');

    const split = await cli('tree/split', '--store', '--split', '256K');
    expect(split.code).toBe(0);
    expect(split.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^split\.part1\.zip \(\d+ bytes\) → /),
      expect.stringMatching(/^split\.part2\.zip \(\d+ bytes\) → /),
    ]);
    const first = await pythonInspect(path.join(out, 'split.part1.zip'));
    const second = await pythonInspect(path.join(out, 'split.part2.zip'));
    expect(first.entries.map((entry) => entry.name)).toEqual(['split/', 'split/1.bin', 'split/2.bin']);
    expect(second.entries.map((entry) => entry.name)).toEqual(['split/3.bin']);
  });
});
