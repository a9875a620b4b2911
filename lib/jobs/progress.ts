/**
 * Speed and ETA for browser jobs: a sliding window over recent byte counts, so
 * the number follows the current rate rather than the average since start.
 */

const WINDOW_MS = 5_000;

export function createSpeedMeter(now: () => number = Date.now) {
  const samples: { at: number; bytes: number }[] = [];
  return {
    /** Records the running total of bytes done. */
    record(bytes: number) {
      const at = now();
      samples.push({ at, bytes });
      while (samples.length > 2 && samples[0]!.at < at - WINDOW_MS) samples.shift();
    },
    /** Bytes per second over the window; 0 until two samples exist. */
    speed(): number {
      const first = samples[0];
      const last = samples[samples.length - 1];
      if (!first || !last || last.at === first.at) return 0;
      return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
    },
  };
}

/** Seconds left at `speed`, or undefined when it cannot be told. */
export function etaSeconds(done: number, total: number, speed: number): number | undefined {
  if (speed <= 0 || total <= 0 || done > total) return undefined;
  return Math.ceil((total - done) / speed);
}
