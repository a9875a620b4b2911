/** Runs the command-line engine (cli/main.ts) as its own process against a WebDAV server and reads its JSON report. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DAV_PASSWORD, DAV_USER, type DavServer } from '../tools/dav-servers';

const run = promisify(execFile);

export interface CliReport {
  phase: string;
  /** The job's own time, from its start to the verified upload (not the process start-up). */
  seconds: number;
  maxRssMiB: number;
  bytes: number;
  files: number;
  result?: { size: number };
}

export async function runEngine(
  server: DavServer,
  source: string,
  name: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CliReport> {
  const args = ['--import', 'tsx', 'cli/main.ts', '--webdav', server.url, '--user', DAV_USER, source];
  const { stdout } = await run('node', [...args, '--to', '/', '--name', name, '--json'], {
    maxBuffer: 64 * 1024 * 1024,
    // The password goes in the environment, never on the command line (cli/password.ts).
    env: { ...process.env, ...env, CLOUDREVE_ARCHIVER_PASSWORD: DAV_PASSWORD },
  });
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as CliReport;
  if (report.phase !== 'done') throw new Error(`engine ended ${report.phase}: ${stdout.slice(0, 2000)}`);
  return report;
}
