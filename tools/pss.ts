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

/** Chromium's process kind from its command line: `--type=renderer`, `--utility-sub-type=network.mojom.NetworkService`, or the browser. */
function kindOf(pid: number): string {
  try {
    // Chromium rewrites its children's argv into one space-separated string (setproctitle), so split on both.
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const value = (flag: string) => args.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1);
    const type = value('--type');
    if (!type) return 'browser';
    if (type === 'utility') return `utility ${value('--utility-sub-type')?.split('.').pop() ?? ''}`.trim();
    return value('--extension-process') !== undefined || args.includes('--extension-process')
      ? `${type} (extension)`
      : type;
  } catch {
    return 'gone';
  }
}

/** Summed Pss in bytes of the Chromium processes started by this process (directly or below a launcher). */
export function chromiumPss(root = process.pid): number {
  return Object.values(chromiumPssByKind(root)).reduce((sum, bytes) => sum + bytes, 0);
}

/** The same, per kind of Chromium process (browser, renderer, gpu-process, utility NetworkService, …). */
export function chromiumPssByKind(root = process.pid): Record<string, number> {
  const byKind: Record<string, number> = {};
  for (const pid of descendants(root).filter((candidate) => /chrom/i.test(commandOf(candidate)))) {
    const kind = kindOf(pid);
    byKind[kind] = (byKind[kind] ?? 0) + pssKiB(pid) * 1024;
  }
  return byKind;
}

/**
 * The same for Firefox started by this process: its main process (`firefox`
 * or `firefox-esr`) and every process below it, by the name Firefox gives
 * each (`Web Content`, `WebExtensions` where the add-on's pages and event
 * page run, `Socket Process` for the network, …).
 */
export function firefoxPssByKind(root = process.pid): Record<string, number> {
  const byKind: Record<string, number> = {};
  const mains = descendants(root).filter((pid) => /^firefox/.test(commandOf(pid)));
  // A Set: a child may carry the main process's name too (the fork server), and must count once.
  for (const pid of new Set([...mains, ...mains.flatMap((main) => descendants(main))])) {
    const kind = mains.includes(pid) ? 'main' : commandOf(pid) || 'gone';
    byKind[kind] = (byKind[kind] ?? 0) + pssKiB(pid) * 1024;
  }
  return byKind;
}

export interface MemorySampler {
  /** Stops sampling; answers the peak and the median of the summed samples, in bytes, and the peak's breakdown. */
  stop(): { peak: number; median: number; samples: number; peakByKind: Record<string, number> };
}

/** Samples Chromium's Pss, per kind of process, every `everyMs` until stopped. */
export function sampleMemory(everyMs = 250, measure: () => Record<string, number> = chromiumPssByKind): MemorySampler {
  const totals: number[] = [];
  let peakByKind: Record<string, number> = {};
  const sample = () => {
    const byKind = measure();
    const total = Object.values(byKind).reduce((sum, bytes) => sum + bytes, 0);
    if (!totals.length || total > Math.max(...totals)) peakByKind = byKind;
    totals.push(total);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const sorted = [...totals].sort((a, b) => a - b);
      return {
        peak: sorted[sorted.length - 1]!,
        median: sorted[Math.floor(sorted.length / 2)]!,
        samples: totals.length,
        peakByKind,
      };
    },
  };
}
