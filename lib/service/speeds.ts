/**
 * The measured speed of this machine's finished jobs (lib/jobs/speed-history.ts),
 * kept in `storage.local`. A browser job knows its bytes (`listed`); a server
 * task does not say how much it read, so the bytes the dialog's preview counted
 * are noted when it starts and used when it completes.
 */
import { storage } from '#imports';
import type { Job } from '../jobs/types';
import { medianSpeed, withSample, type SpeedHistory, type SpeedRoute, type SpeedSample } from '../jobs/speed-history';

export const speedHistoryItem = storage.defineItem<SpeedHistory>('local:speedHistory', { fallback: {} });
/** Server job id → bytes of its files, from the preview (cleared when the job ends). */
const serverJobBytesItem = storage.defineItem<Record<string, number>>('local:serverJobBytes', { fallback: {} });

export function createSpeeds() {
  const addSample = async (route: SpeedRoute, sample: SpeedSample) =>
    speedHistoryItem.setValue(withSample(await speedHistoryItem.getValue(), route, sample));
  return {
    /** Remembers the size of a server job's files (from its preview) until it ends. */
    async serverJobStarted(jobId: string, bytes: number): Promise<void> {
      await serverJobBytesItem.setValue({ ...(await serverJobBytesItem.getValue()), [jobId]: bytes });
    },

    /** Adds the sample of a job that just ended (only a successful one measures anything). */
    async jobEnded(job: Job): Promise<void> {
      const ms = job.updatedAt - job.createdAt;
      if (job.kind === 'browser') {
        if (job.phase !== 'done' || !job.listed) return;
        return addSample('browser', { bytes: job.listed.bytes, ms, jobId: job.id });
      }
      const pending = await serverJobBytesItem.getValue();
      const bytes = pending[job.id];
      if (bytes === undefined) return;
      delete pending[job.id];
      await serverJobBytesItem.setValue(pending);
      if (job.status === 'completed') await addSample('server', { bytes, ms, jobId: job.id });
    },

    async current(): Promise<{ server?: number; browser?: number }> {
      const history = await speedHistoryItem.getValue();
      return { server: medianSpeed(history, 'server'), browser: medianSpeed(history, 'browser') };
    },
  };
}

export type Speeds = ReturnType<typeof createSpeeds>;
