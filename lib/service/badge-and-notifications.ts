/**
 * What makes finished work visible outside the popup: the action badge counts
 * running jobs, and a desktop notification reports each completion and
 * failure once (a failure never goes unseen).
 */
import { browser } from '#imports';
import { hasJobEnded, type Job } from '../jobs/types';
import { folderPageUrl } from '../cloudreve/uri';
import { jobHeadline } from '../user-message';

/** Where a click on a job's notification leads: its Cloudreve folder, else the task list. */
export function notificationTarget(job: Job | undefined, originOf: (serverId: string) => string | undefined): string {
  const origin = job && originOf(job.serverId);
  if (job && origin && job.destination.kind === 'cloudreve') return folderPageUrl(origin, job.destination.folderUri);
  return browser.runtime.getURL('/popup.html');
}

/** The job id inside a notification id made by `createBadgeAndNotifications`. */
export function jobIdOfNotification(notificationId: string): string | undefined {
  return notificationId.startsWith('job:') ? notificationId.slice(4) : undefined;
}

export function createBadgeAndNotifications(options: { notificationsEnabled: () => Promise<boolean> }) {
  const notified = new Set<string>();

  async function updateBadge(jobs: Job[]) {
    const running = jobs.filter((job) => !hasJobEnded(job)).length;
    await browser.action.setBadgeText({ text: running ? String(running) : '' });
    await browser.action.setBadgeBackgroundColor({ color: '#1976d2' });
  }

  async function notify(job: Job) {
    if (!hasJobEnded(job) || notified.has(job.id)) return;
    notified.add(job.id);
    if (!(await options.notificationsEnabled())) return;
    const { title, message } = jobHeadline(job);
    await browser.notifications.create(`job:${job.id}`, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title,
      message,
      priority: job.error ? 2 : 0,
    });
  }

  return {
    /** Call after every job change with the full list. */
    async jobsChanged(jobs: Job[], changed?: Job) {
      await updateBadge(jobs);
      if (changed) await notify(changed);
    },
    /** Jobs that had already ended before this worker started are not announced again. */
    seen(jobs: Job[]) {
      for (const job of jobs) if (hasJobEnded(job)) notified.add(job.id);
    },
  };
}
