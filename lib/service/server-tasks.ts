/**
 * Follows the Cloudreve archive tasks we started until they end. There is no
 * get-one-task endpoint: the task list is polled and matched by id, and
 * `/workflow/progress/{id}` is asked only for tasks still running, since
 * finished ones answer `{}` (cloudreve-v4.md §3).
 */
import { getTaskProgress, hasTaskEnded, listTasks } from '../cloudreve/workflow';
import type { TaskProgresses, TaskResponse } from '../cloudreve/types';
import { serializeError } from '../errors';
import type { JobStore } from '../jobs/store';
import type { ServerJob } from '../jobs/types';
import type { Connections } from './connections';

export interface TaskTrackerDeps {
  store: JobStore;
  connections: Connections;
  onChange(job: ServerJob): void;
  /** Called once when a followed task ends in `error` and the job asked for Auto's fallback. */
  onTaskFailed(job: ServerJob): Promise<void>;
  keepAlive?(): () => void;
  /** Delay between polls while tasks run (the web app uses 20 s; ours are the user's, so sooner). */
  intervalMs?: number;
  now?: () => number;
}

/** Pages of the task list searched for a followed task before giving up on this round. */
const MAX_PAGES = 5;

export function applyTask(job: ServerJob, task: TaskResponse, now: number): ServerJob {
  const failed = task.summary?.props?.failed;
  return {
    ...job,
    status: task.status,
    phase: task.summary?.phase ?? job.phase,
    nodeName: task.node?.name ?? job.nodeName,
    retryCount: task.retry_count,
    errorHistory: task.error_history,
    failedFiles: typeof failed === 'number' ? failed : job.failedFiles,
    error: task.status === 'error' ? { code: 'cloudreve', message: task.error || 'The server task failed' } : undefined,
    progress: task.status === 'completed' ? undefined : job.progress,
    updatedAt: now,
  };
}

/** The most telling progress entry: upload when present, else the archive byte count. */
export function pickProgress(progress: TaskProgresses): ServerJob['progress'] {
  for (const key of ['upload', 'archive_size', 'archive_count']) {
    const value = progress[key];
    if (value) return { key, current: value.current, total: value.total };
  }
  return undefined;
}

export function createTaskTracker(deps: TaskTrackerDeps) {
  const now = deps.now ?? Date.now;
  const following = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let release: (() => void) | undefined;

  async function pollServer(serverId: string, jobs: ServerJob[]) {
    const { client } = await deps.connections.cloudreve(serverId);
    const wanted = new Map(jobs.map((job) => [job.taskId, job]));
    let nextPageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES && wanted.size > 0; page++) {
      const list = await listTasks(client, { pageSize: 100, nextPageToken });
      for (const task of list.tasks) {
        const job = wanted.get(task.id);
        if (!job) continue;
        wanted.delete(task.id);
        let updated = applyTask(job, task, now());
        if (!hasTaskEnded(task.status)) {
          const progress = pickProgress(await getTaskProgress(client, task.id).catch(() => ({})));
          updated = { ...updated, progress: progress ?? updated.progress };
        }
        await deps.store.put(updated);
        deps.onChange(updated);
        if (hasTaskEnded(task.status)) {
          following.delete(job.id);
          if (task.status === 'error' && job.autoFallback && !job.replacedBy) await deps.onTaskFailed(updated);
        }
      }
      nextPageToken = list.pagination.next_token;
      if (!nextPageToken) break;
    }
  }

  async function poll() {
    timer = undefined;
    const jobs = (await Promise.all([...following].map((id) => deps.store.get(id)))).filter(
      (job): job is ServerJob => job?.kind === 'server',
    );
    const byServer = new Map<string, ServerJob[]>();
    for (const job of jobs) byServer.set(job.serverId, [...(byServer.get(job.serverId) ?? []), job]);
    for (const [serverId, serverJobs] of byServer) {
      try {
        await pollServer(serverId, serverJobs);
      } catch (error) {
        // Signed out or server removed: the job shows why, and polling of it stops.
        for (const job of serverJobs) {
          const failed = { ...job, error: { ...serializeError(error), step: 'tracking' }, updatedAt: now() };
          await deps.store.put(failed);
          deps.onChange(failed);
          if (serializeError(error).code !== 'network') following.delete(job.id);
        }
      }
    }
    schedule();
  }

  function schedule() {
    if (following.size === 0) {
      release?.();
      release = undefined;
      return;
    }
    release ??= deps.keepAlive?.();
    timer ??= setTimeout(() => void poll(), deps.intervalMs ?? 2_000);
  }

  return {
    follow(job: ServerJob) {
      following.add(job.id);
      schedule();
    },
    /** After a worker start: follow every server job that has not ended. */
    async resume() {
      for (const job of await deps.store.list()) {
        if (job.kind === 'server' && !hasTaskEnded(job.status)) following.add(job.id);
      }
      schedule();
    },
    following: () => following.size,
  };
}

export type TaskTracker = ReturnType<typeof createTaskTracker>;
