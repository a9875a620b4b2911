/**
 * A small trace of each running browser job, kept outside IndexedDB (in `storage.local`,
 * lib/service/job-trace.ts). When the browser runs out of disk it may wipe the origin's
 * IndexedDB and OPFS together; without a trace the job would simply be gone after a
 * restart. With it, the next start-up finds a trace without a job record and reports the
 * job as failed, saying why, instead of forgetting it.
 */
import { queuedBrowserJob, type BrowserJob, type BrowserJobFields } from './types';

/** Just enough to show the job again and to start it anew. */
export type JobTraceEntry = BrowserJobFields;

export interface JobTrace {
  running(entry: JobTraceEntry): Promise<void>;
  ended(id: string): Promise<void>;
  list(): Promise<JobTraceEntry[]>;
}

export function traceOf(job: BrowserJob): JobTraceEntry {
  const { id, serverId, name, sources, destination, route, compression, createdAt } = job;
  return { id, serverId, name, sources, destination, route, compression, createdAt };
}

/** The failed job a trace stands for, once its records are gone. */
export function lostJob(entry: JobTraceEntry, now: number): BrowserJob {
  return queuedBrowserJob({
    ...entry,
    phase: 'failed',
    updatedAt: now,
    error: {
      code: 'job-lost',
      message: 'The job data in the browser was deleted while the job ran (usually: the disk was full)',
    },
  });
}
