/**
 * The pipelines a user could script instead of the extension (issue 14, P3):
 * parallel downloads from the WebDAV server — `curl` fed by `xargs -P 8`, or
 * `rclone copy --transfers 16` — then Info-ZIP `zip -r`, then `curl -T` to
 * upload the archive back. Each stage is timed on its own; the best pipeline
 * takes the faster download.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DAV_PASSWORD, DAV_USER, type DavServer } from '../tools/dav-servers';

const run = promisify(execFile);

export interface PipelineRun {
  /** Seconds per download tool. */
  download: { curl: number; rclone: number };
  zip: number;
  upload: number;
  /** With the faster download. */
  total: number;
  faster: 'curl' | 'rclone';
}

async function timed(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${errors}`)),
    );
  });
  return (performance.now() - started) / 1000;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/**
 * Downloads `files` (paths relative to the server's base) into `into` with 8
 * curl processes at once, each fetching its share over one kept-alive
 * connection (a curl config file per share: `url` + `output` pairs).
 */
async function curlDownload(server: DavServer, files: string[], into: string, work: string): Promise<number> {
  const shares = Array.from({ length: 8 }, () => [] as string[]);
  files.forEach((file, i) =>
    shares[i % 8]!.push(`url = "${server.url}${encodePath(file)}"`, `output = "${join(into, file)}"`),
  );
  const lists: string[] = [];
  for (const [i, share] of shares.entries()) {
    if (!share.length) continue;
    const list = join(work, `curl-${i}.conf`);
    await writeFile(list, share.join('\n') + '\n');
    lists.push(list);
  }
  await writeFile(join(work, 'curl-lists'), lists.join('\n') + '\n');
  return timed('xargs', [
    '-P',
    '8',
    '-n',
    '1',
    '-a',
    join(work, 'curl-lists'),
    'curl',
    '-sSf',
    '--create-dirs',
    '-u',
    `${DAV_USER}:${DAV_PASSWORD}`,
    '-K',
  ]);
}

async function rcloneDownload(server: DavServer, source: string, into: string): Promise<number> {
  const { stdout: obscured } = await run('rclone', ['obscure', DAV_PASSWORD]);
  const env = {
    ...process.env,
    RCLONE_CONFIG_BENCH_TYPE: 'webdav',
    RCLONE_CONFIG_BENCH_URL: server.url,
    RCLONE_CONFIG_BENCH_USER: DAV_USER,
    RCLONE_CONFIG_BENCH_PASS: obscured.trim(),
  };
  return timed(
    'rclone',
    ['copy', `bench:${source}`, join(into, source), '--transfers', '16', '--checkers', '16', '--config', '/dev/null'],
    { env },
  );
}

/**
 * Runs the scripted pipelines once over `source` (a folder of `server` holding
 * `files`), zipping with `zipArgs` (e.g. `-0`, or `-6 -n <media>`), and
 * uploads the archive as `name`. Cleans up `work` afterwards.
 */
export async function scriptedPipeline(
  server: DavServer,
  source: string,
  files: string[],
  zipArgs: string[],
  name: string,
  work: string,
): Promise<PipelineRun> {
  await mkdir(work, { recursive: true });
  try {
    const viaCurl = join(work, 'curl');
    const viaRclone = join(work, 'rclone');
    const curl = await curlDownload(server, files, viaCurl, work);
    const rclone = await rcloneDownload(server, source, viaRclone);
    await rm(viaRclone, { recursive: true, force: true });
    const zipPath = join(work, name);
    const zip = await timed('zip', ['-q', '-r', ...zipArgs, zipPath, source], { cwd: viaCurl });
    const upload = await timed('curl', [
      '-sSf',
      '-u',
      `${DAV_USER}:${DAV_PASSWORD}`,
      '-T',
      zipPath,
      `${server.url}${name}`,
    ]);
    const faster = curl <= rclone ? 'curl' : 'rclone';
    return { download: { curl, rclone }, zip, upload, total: Math.min(curl, rclone) + zip + upload, faster };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
