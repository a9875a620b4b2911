/**
 * Memory of a browser as the system sees it: the proportional set size (Pss)
 * of every process of the browser, from `/proc/<pid>/smaps_rollup` (Linux
 * 4.14+, proc(5)). Pss divides each shared page among the processes that map
 * it, so summing it over Chromium's many processes does not count the shared
 * libraries and shared memory several times, as summed RSS does.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of every process descending from `root` (not `root` itself). */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      // Field 4 of /proc/<pid>/stat, after the parenthesised command (which may hold spaces).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parentOf.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we listed.
    }
  }
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length) {
    const next: number[] = [];
    for (const [pid, parent] of parentOf) if (frontier.includes(parent)) next.push(pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

function pssKiB(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Summed Pss in bytes of the Chromium processes started by this process (directly or below a launcher). */
export function chromiumPss(root = process.pid): number {
  const pids = descendants(root).filter((pid) => /chrom/i.test(commandOf(pid)));
  return pids.reduce((sum, pid) => sum + pssKiB(pid), 0) * 1024;
}

export interface MemorySampler {
  /** Stops sampling; answers the peak and the median of the samples, in bytes. */
  stop(): { peak: number; median: number; samples: number };
}

/** Samples `measure()` every `everyMs` until stopped. */
export function sampleMemory(measure: () => number = chromiumPss, everyMs = 250): MemorySampler {
  const samples: number[] = [measure()];
  const timer = setInterval(() => samples.push(measure()), everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(measure());
      const sorted = [...samples].sort((a, b) => a - b);
      return {
        peak: sorted[sorted.length - 1]!,
        median: sorted[Math.floor(sorted.length / 2)]!,
        samples: samples.length,
      };
    },
  };
}
