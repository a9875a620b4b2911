/** One self-rewriting progress line on a terminal; plain lines every few seconds elsewhere. */
import type { BrowserJob } from '../lib/jobs/types';
import { etaSeconds } from '../lib/jobs/progress';

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

export function createProgressLine(out: NodeJS.WriteStream, silent = false) {
  let last = 0;
  const render = (job: BrowserJob) => {
    const { filesDone, filesTotal, bytesDone, bytesTotal, speed, uploadSent, uploadTotal } = job.progress;
    const width = 24;
    const ratio =
      job.phase === 'uploading' && uploadTotal
        ? (uploadSent ?? 0) / uploadTotal
        : bytesTotal
          ? bytesDone / bytesTotal
          : 0;
    const filled = Math.round(Math.min(1, ratio) * width);
    const eta = etaSeconds(bytesDone, bytesTotal, speed);
    return (
      `${job.phase.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
      `${filesDone}/${filesTotal} files, ${mib(bytesDone)}/${mib(bytesTotal)}` +
      (speed ? `, ${mib(speed)}/s` : '') +
      (eta !== undefined ? `, ${eta}s left` : '')
    );
  };
  return {
    update(job: BrowserJob) {
      if (silent) return;
      const now = Date.now();
      if (out.isTTY) {
        if (now - last < 100) return;
        out.write(`\r${render(job)}\x1b[K`);
      } else {
        if (now - last < 5_000) return;
        out.write(`${render(job)}\n`);
      }
      last = now;
    },
    done(job: BrowserJob) {
      if (!silent && out.isTTY) out.write(`\r${render(job)}\x1b[K\n`);
    },
  };
}
