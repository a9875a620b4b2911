/**
 * How fast this machine's earlier jobs went, per route, so the dialog can say
 * how long the next one will take. One sample per finished job: the bytes of
 * its files and the time from its start to its end (queue and listing
 * included: that is what the user waits for). The estimate is the median
 * speed of the last samples, so one odd job does not swing it.
 */
export type SpeedRoute = 'server' | 'browser';

export interface SpeedSample {
  bytes: number;
  ms: number;
  /** The job measured: a job reported ended twice adds one sample. */
  jobId?: string;
}

export type SpeedHistory = Partial<Record<SpeedRoute, SpeedSample[]>>;

/** Samples kept per route. */
export const KEPT_SAMPLES = 10;
/** Jobs shorter than this or smaller than this say little about speed. */
const MIN_SAMPLE_MS = 500;
const MIN_SAMPLE_BYTES = 1;

/** `history` with one more sample of `route` (the oldest dropped past KEPT_SAMPLES). */
export function withSample(history: SpeedHistory, route: SpeedRoute, sample: SpeedSample): SpeedHistory {
  if (!(sample.ms >= MIN_SAMPLE_MS) || !(sample.bytes >= MIN_SAMPLE_BYTES)) return history;
  if (sample.jobId && history[route]?.some((known) => known.jobId === sample.jobId)) return history;
  return { ...history, [route]: [...(history[route] ?? []), sample].slice(-KEPT_SAMPLES) };
}

/** Median bytes per second of `route`'s samples; undefined without any ("no estimate yet"). */
export function medianSpeed(history: SpeedHistory, route: SpeedRoute): number | undefined {
  const speeds = (history[route] ?? []).map((s) => (s.bytes * 1000) / s.ms).sort((a, b) => a - b);
  if (speeds.length === 0) return undefined;
  const middle = speeds.length >> 1;
  return speeds.length % 2 ? speeds[middle]! : (speeds[middle - 1]! + speeds[middle]!) / 2;
}

/** Milliseconds `bytes` will take at `speed` bytes/s; undefined without a speed. */
export function estimateMs(bytes: number, speed: number | undefined): number | undefined {
  return speed && speed > 0 ? Math.round((bytes / speed) * 1000) : undefined;
}
