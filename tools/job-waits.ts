/** Waiting on jobs from a test, through the extension's own protocol. */
import type { Page } from 'playwright-core';
import type { Job } from '../lib/jobs/types';
import { hasJobEnded } from '../lib/jobs/types';
import { send } from './extension';

export async function findJob(page: Page, jobId: string): Promise<Job | undefined> {
  return (await send(page, 'listJobs')).find((job) => job.id === jobId);
}

/** Polls until `predicate` holds for the job (default: the job ended); fails with the last state. */
export async function waitForJob(
  page: Page,
  jobId: string,
  predicate: (job: Job) => boolean = hasJobEnded,
  timeoutMs = 90_000,
  pollMs = 200,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  let last: Job | undefined;
  while (Date.now() < deadline) {
    last = await findJob(page, jobId).catch(() => last);
    if (last && predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`Job ${jobId} did not get there in time; last state: ${JSON.stringify(last)}`);
}
