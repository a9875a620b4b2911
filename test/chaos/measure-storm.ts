/**
 * The closing number of issue 13: time to finish a ~300 MB job cleanly and under a
 * 30 % storm of 500/502/503, resets and cut bodies, through the extension's job queue
 * and retry policy (the policy's real waits: base 500 ms, cap 30 s). Against the sandbox
 * (Cloudreve to Cloudreve) or rclone (WebDAV to WebDAV). Not a test: run with
 * `npx vite-node -c test/chaos/measure.vite.config.ts test/chaos/measure-storm.ts [MiB] [MiB per file] [cloudreve|webdav]`.
 */
import { startSandbox } from '../../sandbox/server';
import { DAV_PASSWORD, DAV_USER, seedTree, startRclone } from '../../tools/dav-servers';
import { pseudoRandom } from '../integration/zip/helpers';
import { runQueuedJob, signIn, type QueuedJobOptions } from './engine';
import { startFlakyProxy } from './flaky-proxy';

const mib = Number(process.argv[2] ?? 300);
const FILE = Number(process.argv[3] ?? 10) * 1024 * 1024;
const server = process.argv[4] ?? 'cloudreve';
const extraFiles: Record<string, Uint8Array> = {};
for (let i = 0; i * FILE < mib * 1024 * 1024; i++) extraFiles[`Big/file-${i}.bin`] = pseudoRandom(FILE, i + 1);

/** The server the job talks to, and what the job needs to reach it through `proxy`. */
async function startServer() {
  if (server === 'webdav') {
    const rclone = await startRclone();
    seedTree(rclone.dataDir, { ...extraFiles, 'Out-0': null, 'Out-0.3': null });
    return {
      target: rclone.url,
      job: (proxy: string, rate: number): QueuedJobOptions => ({
        origin: proxy,
        webdav: { username: DAV_USER, password: DAV_PASSWORD },
        sources: ['Big'],
        folderUri: `Out-${rate}`,
      }),
      stop: () => rclone.stop(),
    };
  }
  const sb = await startSandbox({
    page: 'placeholder',
    config: { policy: { chunkSize: 25 * 1024 * 1024, chunkConcurrency: 3 } },
    extraFiles,
  });
  const tokens = await signIn(sb);
  return {
    target: sb.url,
    job: (proxy: string, rate: number): QueuedJobOptions => {
      // Signed download URLs name the proxy too, so downloads meet the same failures.
      sb.config.siteUrl = proxy;
      return { origin: proxy, tokens, sources: ['cloudreve://my/Big'], folderUri: `cloudreve://my/Out-${rate}` };
    },
    stop: () => sb.stop(),
  };
}

const running = await startServer();
for (const rate of [0, 0.3]) {
  const proxy = await startFlakyProxy({ target: running.target, failureRate: rate, seed: 7, keepHost: true });
  const started = performance.now();
  const job = await runQueuedJob(running.job(proxy.url, rate));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      server,
      failureRate: rate,
      phase: job.phase,
      error: job.error?.message,
      archiveMiB: (job.archiveSize ?? 0) / 2 ** 20,
      seconds,
      faults: proxy.counts,
    }),
  );
  await proxy.close();
}
await running.stop();
