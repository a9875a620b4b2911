/**
 * The one watcher of Cloudreve's archive tasks (`GET /workflow`). It follows
 * the tasks we started until they end (their jobs are updated and persisted),
 * and while a popup listens it also lists every `create_archive` task of each
 * signed-in server for the popup's feed, including the ones started in the
 * Cloudreve web app. One round reads each server's list once for both.
 *
 * There is no get-one-task endpoint, so a followed task is found in the list;
 * `/workflow/progress/{id}` is asked only for tasks the list says are
 * `processing`: a queued, suspending or finished one has no progress to give
 * (docs/cloudreve-api.md "Listing tasks", "Task progress").
 * Rounds come every 2 s for the first rounds after we start following a task
 * (ours are the user's, so a short one is seen running), then every 4 s while
 * any task runs, and with nothing running the feed backs off to 20 s and then
 * 60 s (the web app's task page polls every 20 s).
 */
import { storage } from '#imports';
import type { CloudreveClient } from '../cloudreve/client';
import type { TaskProgresses, TaskResponse } from '../cloudreve/types';
import { baseName, parentUri } from '../cloudreve/uri';
import { getTaskProgress, hasTaskEnded, listTasks } from '../cloudreve/workflow';
import { serializeError } from '../errors';
import type { JobStore } from '../jobs/store';
import type { ServerJob, ServerTask } from '../jobs/types';
import type { FeedUpdate } from '../messaging/payloads';

export interface WatchedServer {
  id: string;
  client: CloudreveClient;
}

export interface TaskWatcherDeps {
  store: JobStore;
  /** Signed-in Cloudreve servers with host access, with a client each: the feed lists these. */
  servers(): Promise<WatchedServer[]>;
  /** The client of a followed job's server; throws when it cannot be used (signed out, removed). */
  client(serverId: string): Promise<CloudreveClient>;
  keepAlive?(): () => void;
  /** Task keys (`serverId/taskId`) the user cleared from the feed; kept across popups. */
  hidden?: { load(): Promise<string[]>; save(keys: string[]): Promise<void> };
  pageSize?: number;
  /** Delay of the first rounds after a task is followed; while tasks run; then the feed's idle back-off steps. */
  followMs?: number;
  activeMs?: number;
  idleMs?: readonly number[];
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  now?: () => number;
}

export interface TaskWatcherEvents {
  /** A round's feed, while a popup listens. */
  feed(update: FeedUpdate): void;
  /** A followed job changed. */
  job(job: ServerJob): void;
  /** A followed task ended in `error` and its job asked for Auto's fallback (once). */
  taskFailed(job: ServerJob): Promise<void> | void;
}

const ARCHIVE_TYPE = 'create_archive';
/** Pages of a server's list searched for a followed task before giving up on this round. */
const MAX_FOLLOW_PAGES = 10;
/** Rounds at `followMs` after a task is followed (10 s at 2 s); later ones come at `activeMs`. */
const QUICK_ROUNDS = 5;
/** Cleared task keys kept; older ones have long left the first pages of the list. */
const MAX_HIDDEN = 2_000;

/** Cleared server tasks, in `storage.local` so every popup and worker start agrees. */
export const hiddenTasksItem = storage.defineItem<string[]>('local:hiddenTasks', { fallback: [] });

/** The most telling progress entry: upload when present, else the archive byte count. */
export function pickProgress(progress: TaskProgresses): ServerTask['progress'] {
  for (const key of ['upload', 'archive_size', 'archive_count']) {
    const value = progress[key];
    if (value) return { key, current: value.current, total: value.total };
  }
  return undefined;
}

/** The one mapping of a listed task (and its live progress). */
export function toServerTask(serverId: string, task: TaskResponse, progress?: TaskProgresses): ServerTask {
  const props = task.summary?.props ?? {};
  const dst = typeof props.dst === 'string' ? props.dst : '';
  const sources = Array.isArray(props.src_multiple) ? props.src_multiple.filter((s) => typeof s === 'string') : [];
  const failed = props.failed;
  return {
    id: task.id,
    serverId,
    status: task.status,
    phase: task.summary?.phase,
    nodeName: task.node?.name,
    name: safe(() => baseName(dst)) || dst,
    sources,
    folderUri: safe(() => parentUri(dst)),
    createdAt: Date.parse(task.created_at) || 0,
    updatedAt: Date.parse(task.updated_at) || 0,
    error: task.error || undefined,
    errorHistory: task.error_history?.length ? task.error_history : undefined,
    retryCount: task.retry_count,
    failedFiles: typeof failed === 'number' ? failed : undefined,
    progress: progress ? pickProgress(progress) : undefined,
  };
}

/** A followed job after its task was seen as `task`. */
export function applyTask(job: ServerJob, task: ServerTask, now: number): ServerJob {
  return {
    ...job,
    status: task.status,
    phase: task.phase ?? job.phase,
    nodeName: task.nodeName ?? job.nodeName,
    retryCount: task.retryCount,
    errorHistory: task.errorHistory,
    failedFiles: task.failedFiles ?? job.failedFiles,
    error: task.status === 'error' ? { code: 'cloudreve', message: task.error || 'The server task failed' } : undefined,
    progress: task.status === 'completed' ? undefined : (task.progress ?? job.progress),
    updatedAt: now,
  };
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

export function createTaskWatcher(deps: TaskWatcherDeps) {
  const now = deps.now ?? Date.now;
  const pageSize = deps.pageSize ?? 50;
  const followMs = deps.followMs ?? 2_000;
  const activeMs = deps.activeMs ?? 4_000;
  const idleMs = deps.idleMs ?? [20_000, 60_000];
  const setTimer = deps.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = deps.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  const following = new Set<string>();
  const listeners: { [E in keyof TaskWatcherEvents]: Set<TaskWatcherEvents[E]> } = {
    feed: new Set(),
    job: new Set(),
    taskFailed: new Set(),
  };
  /** Feed pages to fetch per server ("load more" raises it). */
  let pages = 1;
  let popups = 0;
  let idleRounds = 0;
  let quickRounds = 0;
  let timer: unknown;
  let polling: Promise<FeedUpdate> | undefined;
  let release: (() => void) | undefined;
  let last: FeedUpdate = { tasks: [], more: [], errors: [] };

  async function jobChanged(job: ServerJob) {
    await deps.store.put(job);
    for (const listener of listeners.job) listener(job);
  }

  async function taskSeen(job: ServerJob, task: ServerTask) {
    const updated = applyTask(job, task, now());
    await jobChanged(updated);
    if (!hasTaskEnded(task.status)) return;
    following.delete(job.id);
    if (task.status === 'error' && job.autoFallback && !job.replacedBy) {
      for (const listener of listeners.taskFailed) await listener(updated);
    }
  }

  /** Reads one server's list: the feed's pages (when `update` is given), then further while a followed task is missing. */
  async function readServer(server: WatchedServer, jobs: ServerJob[], update?: FeedUpdate, hidden?: Set<string>) {
    const wanted = new Map(jobs.map((job) => [job.taskId, job]));
    const feedPages = update ? pages : 0;
    let nextPageToken: string | undefined;
    for (let page = 0; page < feedPages || (wanted.size > 0 && page < MAX_FOLLOW_PAGES); page++) {
      const list = await listTasks(server.client, { pageSize, nextPageToken });
      for (const task of list.tasks) {
        const job = wanted.get(task.id);
        const shown = page < feedPages && task.type === ARCHIVE_TYPE && !hidden?.has(`${server.id}/${task.id}`);
        if (!job && !shown) continue;
        const progress =
          task.status === 'processing'
            ? await getTaskProgress(server.client, task.id).catch(() => undefined)
            : undefined;
        const row = toServerTask(server.id, task, progress);
        if (shown) update!.tasks.push(row);
        if (job) {
          wanted.delete(task.id);
          await taskSeen(job, row);
        }
      }
      nextPageToken = list.pagination.next_token;
      if (!nextPageToken) return;
    }
    if (update) update.more.push(server.id);
  }

  /** Signed out or server removed: the jobs show why; polling of them stops unless it was the network. */
  async function trackingFailed(jobs: ServerJob[], error: unknown) {
    const serialized = serializeError(error);
    for (const job of jobs) {
      await jobChanged({ ...job, error: { ...serialized, step: 'tracking' }, updatedAt: now() });
      if (serialized.code !== 'network') following.delete(job.id);
    }
  }

  async function round(): Promise<FeedUpdate> {
    quickRounds = Math.max(0, quickRounds - 1);
    const followed = (await Promise.all([...following].map((id) => deps.store.get(id)))).filter(
      (job): job is ServerJob => job?.kind === 'server',
    );
    const feed = popups > 0;
    const update: FeedUpdate = { tasks: [], more: [], errors: [] };
    const listed = feed ? await deps.servers().catch(() => []) : [];
    const hidden = new Set(feed ? await (deps.hidden?.load() ?? []) : []);
    const serverIds = new Set([...listed.map((server) => server.id), ...followed.map((job) => job.serverId)]);
    for (const serverId of serverIds) {
      const jobs = followed.filter((job) => job.serverId === serverId);
      const inFeed = listed.find((server) => server.id === serverId);
      try {
        const server = inFeed ?? { id: serverId, client: await deps.client(serverId) };
        await readServer(server, jobs, inFeed && update, hidden);
      } catch (error) {
        if (inFeed) update.errors.push({ serverId, error: serializeError(error) });
        await trackingFailed(jobs, error);
      }
    }
    update.tasks.sort((a, b) => b.createdAt - a.createdAt);
    if (feed) {
      last = update;
      for (const listener of listeners.feed) listener(update);
    }
    return update;
  }

  /** The next round: soon while we follow a task or the feed's tasks run, backing off while only the feed is idle. */
  function schedule(running: boolean) {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    if (following.size > 0) release ??= deps.keepAlive?.();
    else {
      release?.();
      release = undefined;
    }
    if (following.size === 0 && popups === 0) return;
    idleRounds = running || following.size > 0 ? 0 : idleRounds + 1;
    const idle = idleMs[Math.min(idleRounds - 1, idleMs.length - 1)]!;
    const delay = following.size > 0 && quickRounds > 0 ? followMs : idleRounds === 0 ? activeMs : idle;
    timer = setTimer(() => void poll(), delay);
  }

  /** Runs a round now (single-flight) and schedules the next one. */
  function poll(): Promise<FeedUpdate> {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    polling ??= round().then((update) => {
      polling = undefined;
      schedule(update.tasks.some((task) => !hasTaskEnded(task.status)));
      return update;
    });
    return polling;
  }

  return {
    on<E extends keyof TaskWatcherEvents>(event: E, listener: TaskWatcherEvents[E]): void {
      listeners[event].add(listener);
    },
    /** Follows a task we started until it ends. */
    follow(job: ServerJob): void {
      following.add(job.id);
      quickRounds = QUICK_ROUNDS;
      if (!polling) schedule(true);
    },
    /** After a worker start: follow every server job that has not ended. */
    async resume(): Promise<void> {
      for (const job of await deps.store.list()) {
        if (job.kind === 'server' && !hasTaskEnded(job.status)) following.add(job.id);
      }
      quickRounds = QUICK_ROUNDS;
      if (!polling) schedule(true);
    },
    following: () => following.size,
    /** A popup connected: a round at once, and the feed while any listens. */
    attach(): Promise<FeedUpdate> {
      popups += 1;
      idleRounds = 0;
      return poll();
    },
    detach(): void {
      popups = Math.max(0, popups - 1);
      if (popups > 0) return;
      pages = 1;
      if (!polling) schedule(true);
    },
    /** Something changed (a task was started): look again now if a popup listens. */
    refresh(): Promise<FeedUpdate> | undefined {
      if (popups === 0) return undefined;
      idleRounds = 0;
      return poll();
    },
    /** "Load more": one more page of every server's list. */
    loadMore(): Promise<FeedUpdate> {
      pages += 1;
      return poll();
    },
    /** "Clear finished": hides `keys` and every finished task of the last round, then looks again. */
    async clearFinished(keys: string[]): Promise<void> {
      if (!deps.hidden) return;
      const ended = last.tasks.filter((task) => hasTaskEnded(task.status)).map((task) => `${task.serverId}/${task.id}`);
      const merged = [...new Set([...(await deps.hidden.load()), ...keys, ...ended])];
      await deps.hidden.save(merged.slice(-MAX_HIDDEN));
      // A round already under way read the list before these were hidden: look once more after it.
      await polling;
      if (popups > 0) await poll();
    },
  };
}

export type TaskWatcher = ReturnType<typeof createTaskWatcher>;
