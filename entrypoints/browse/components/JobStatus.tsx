/**
 * Follows the job the page started until it ends; the popup's tracker shows
 * the same job. Polls `listJobs` (cheap: jobs are in storage) instead of
 * holding a port, so a sleeping service worker is simply woken again.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from '#imports';
import { t } from '@/lib/i18n';
import { hasJobEnded, type Job } from '@/lib/jobs/types';
import { sendMessage } from '@/lib/messaging/protocol';
import { toUserMessage } from '@/lib/user-message';

const POLL_MS = 700;

function describe(job: Job): string {
  if (job.kind !== 'browser') return job.status;
  if (job.phase === 'done' && job.destination.kind === 'download') {
    return t('browseJobDownloaded', 'Downloaded as $1', [job.result?.name ?? job.name]);
  }
  if (job.phase === 'done') return t('browseJobDone', 'Saved as $1', [job.result?.name ?? job.name]);
  if (job.phase === 'failed') return toUserMessage(job.error ?? { code: 'internal' });
  if (job.phase === 'cancelled') return t('browseJobCancelled', 'Cancelled.');
  const { filesDone, filesTotal } = job.progress;
  const steps: Record<string, string> = {
    queued: t('browseJobQueued', 'Waiting to start…'),
    listing: t('browseJobListing', 'Listing files…'),
    zipping: t('browseJobZipping', 'Zipping $1 of $2 files…', [filesDone, filesTotal]),
    uploading: t('browseJobUploading', 'Uploading the archive…'),
    verifying: t('browseJobVerifying', 'Checking the stored archive…'),
  };
  return steps[job.phase] ?? job.phase;
}

export function JobStatus(props: { jobId: string; onFinished(job: Job): void }) {
  const [job, setJob] = useState<Job | undefined>(undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function poll() {
      const found = (await sendMessage('listJobs').catch(() => [])).find((each) => each.id === props.jobId);
      if (stopped) return;
      if (found) setJob(found);
      if (found && hasJobEnded(found)) return props.onFinished(found);
      timer = setTimeout(poll, POLL_MS);
    }
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [props.jobId]);

  const failed = job?.kind === 'browser' ? job.phase === 'failed' : job?.status === 'error';
  return (
    <div
      class={`job${failed ? ' failed' : ''}`}
      data-testid="job-status"
      data-phase={job?.kind === 'browser' ? job.phase : job?.status}
    >
      {job && <p class="job-name">{job.name}</p>}
      <p role={failed ? 'alert' : 'status'} data-testid="job-text">
        {job ? describe(job) : t('browseJobStarting', 'Starting…')}
      </p>
      <a href={browser.runtime.getURL('/popup.html')} target="_blank" rel="noopener" data-testid="open-tracker">
        {t('browseOpenTracker', 'Open the tracker')}
      </a>
    </div>
  );
}
