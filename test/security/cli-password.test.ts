/**
 * The command-line tool never needs the password on its command line, where
 * every user of the machine can read it (`ps`, /proc/PID/cmdline): it takes
 * it from $CLOUDREVE_ARCHIVER_PASSWORD. Run against rclone's WebDAV server.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAV_PASSWORD, DAV_USER, seedTree, startRclone, type DavServer } from '../../tools/dav-servers';

const run = promisify(execFile);
let server: DavServer;
let out: string;

beforeAll(async () => {
  server = await startRclone();
  seedTree(server.dataDir, { 'Docs/a.txt': 'a\n' });
  out = mkdtempSync(path.join(tmpdir(), 'cra-cli-'));
});

afterAll(async () => {
  await server?.stop();
  rmSync(out, { recursive: true, force: true });
});

it('archives with the password from the environment, none on the command line', async () => {
  const args = ['--import', 'tsx', 'cli/main.ts', '--webdav', server.url, '--user', DAV_USER, 'Docs', '--out', out];
  const { stderr } = await run('node', args, {
    env: { ...process.env, CLOUDREVE_ARCHIVER_PASSWORD: DAV_PASSWORD },
    // No terminal: the tool must not wait for a prompt.
    timeout: 60_000,
  });
  expect(args).not.toContain(DAV_PASSWORD);
  expect(stderr).not.toContain('Warning');
  expect(readdirSync(out)).toEqual(['Docs.zip']);
});

it('warns when --password is still used', async () => {
  const { stderr } = await run(
    'node',
    [
      '--import',
      'tsx',
      'cli/main.ts',
      '--webdav',
      server.url,
      '--user',
      DAV_USER,
      '--password',
      DAV_PASSWORD,
      'Docs',
      '--out',
      out,
    ],
    { timeout: 60_000 },
  );
  expect(stderr).toContain('--password is visible to other users');
});
