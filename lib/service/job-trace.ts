/**
 * The trace of running jobs in `storage.local` (lib/jobs/trace.ts says why): a separate
 * store from IndexedDB, so it survives the browser wiping the job database. A few hundred
 * bytes per running job; removed when the job ends.
 */
import { storage } from '#imports';
import type { JobTrace, JobTraceEntry } from '../jobs/trace';

const traceItem = storage.defineItem<JobTraceEntry[]>('local:runningJobs', { fallback: [] });

export function createJobTrace(): JobTrace {
  let queue: Promise<unknown> = Promise.resolve();
  /** Read-modify-write, one at a time, so two jobs never lose each other's entry. */
  const update = (change: (entries: JobTraceEntry[]) => JobTraceEntry[]) => {
    const next = queue.then(async () => traceItem.setValue(change(await traceItem.getValue())));
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    running: (entry) => update((entries) => [...entries.filter((other) => other.id !== entry.id), entry]),
    ended: (id) => update((entries) => entries.filter((entry) => entry.id !== id)),
    list: () => traceItem.getValue(),
  };
}
