/**
 * The closing number of issue 13: time to finish a ~300 MB job cleanly and under a
 * 30 % storm of 500/502/503, resets and cut bodies, through the extension's job queue
 * and retry policy (the policy's real waits: base 500 ms, cap 30 s). Not a test: run with
 * `npx vite-node -c test/chaos/measure.vite.config.ts test/chaos/measure-storm.ts [MiB] [MiB per file]`.
 */
import { startSandbox } from '../../sandbox/server';
import { pseudoRandom } from '../integration/zip/helpers';
import { runQueuedJob, signIn } from './engine';
import { startFlakyProxy } from './flaky-proxy';

const mib = Number(process.argv[2] ?? 300);
const FILE = Number(process.argv[3] ?? 10) * 1024 * 1024;
const extraFiles: Record<string, Uint8Array> = {};
for (let i = 0; i * FILE < mib * 1024 * 1024; i++) extraFiles[`Big/file-${i}.bin`] = pseudoRandom(FILE, i + 1);
const sb = await startSandbox({
  page: 'placeholder',
  config: { policy: { chunkSize: 25 * 1024 * 1024, chunkConcurrency: 3 } },
  extraFiles,
});
const tokens = await signIn(sb);
for (const rate of [0, 0.3]) {
  const proxy = await startFlakyProxy({ target: sb.url, failureRate: rate, seed: 7 });
  sb.config.siteUrl = proxy.url;
  const started = performance.now();
  const job = await runQueuedJob({
    origin: proxy.url,
    tokens,
    sources: ['cloudreve://my/Big'],
    folderUri: `cloudreve://my/Out-${rate}`,
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
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
await sb.stop();
