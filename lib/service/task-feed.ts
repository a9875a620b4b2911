/**
 * Every `create_archive` task of every signed-in Cloudreve server, including
 * the ones started in the Cloudreve web app, for the popup's list. Polled
 * only while a popup listens: every few seconds while a task runs, backing
 * off to 20 s and then 60 s when nothing runs (the web app polls every 20 s;
 * cloudreve-v4.md §3 and "Track tasks").
 */
import { storage } from '#imports';
import type { CloudreveClient } from '../cloudreve/client';
import type { TaskProgresses, TaskResponse } from '../cloudreve/types';
import { baseName, parentUri } from '../cloudreve/uri';
import { getTaskProgress, hasTaskEnded, listTasks } from '../cloudreve/workflow';
import { serializeError } from '../errors';
import type { ServerTask } from '../jobs/types';
import type { FeedUpdate } from '../messaging/payloads';
import { pickProgress } from './server-tasks';

export interface FeedServer {
  id: string;
  client: CloudreveClient;
}

export interface TaskFeedDeps {
  /** Signed-in Cloudreve servers with host access, with a client each. */
  servers(): Promise<FeedServer[]>;
  post(update: FeedUpdate): void;
  pageSize?: number;
  /** Delay while any task runs; then the idle back-off steps. */
  activeMs?: number;
  idleMs?: readonly number[];
  /** Task keys (`serverId/taskId`) the user cleared from the list; kept across popups. */
  hidden?: { load(): Promise<string[]>; save(keys: string[]): Promise<void> };
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

const ARCHIVE_TYPE = 'create_archive';
/** Cleared task keys kept; older ones have long left the first pages of the list. */
const MAX_HIDDEN = 2_000;

/** Cleared server tasks, in `storage.local` so every popup and worker start agrees. */
export const hiddenTasksItem = storage.defineItem<string[]>('local:hiddenTasks', { fallback: [] });

/** Maps a listed task (and its live progress) to a feed row. */
export function toFeedTask(serverId: string, task: TaskResponse, progress?: TaskProgresses): ServerTask {
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

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

export function createTaskFeed(deps: TaskFeedDeps) {
  const pageSize = deps.pageSize ?? 50;
  const activeMs = deps.activeMs ?? 4_000;
  const idleMs = deps.idleMs ?? [20_000, 60_000];
  const setTimer = deps.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = deps.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  /** Pages to fetch per server ("load more" raises it). */
  let pages = 1;
  let listeners = 0;
  let idleRounds = 0;
  let timer: unknown;
  let polling: Promise<FeedUpdate> | undefined;

  let last: FeedUpdate = { tasks: [], more: [], errors: [] };

  async function readServer(server: FeedServer, update: FeedUpdate, hidden: Set<string>) {
    let nextPageToken: string | undefined;
    for (let page = 0; page < pages; page++) {
      const list = await listTasks(server.client, { pageSize, nextPageToken });
      for (const task of list.tasks) {
        if (task.type !== ARCHIVE_TYPE || hidden.has(`${server.id}/${task.id}`)) continue;
        // Finished tasks answer `{}` from /workflow/progress: ask only for running ones.
        const progress = hasTaskEnded(task.status)
          ? undefined
          : await getTaskProgress(server.client, task.id).catch(() => undefined);
        update.tasks.push(toFeedTask(server.id, task, progress));
      }
      nextPageToken = list.pagination.next_token;
      if (!nextPageToken) return;
    }
    update.more.push(server.id);
  }

  async function round(): Promise<FeedUpdate> {
    const update: FeedUpdate = { tasks: [], more: [], errors: [] };
    const servers = await deps.servers().catch(() => []);
    const hidden = new Set(await (deps.hidden?.load() ?? []));
    for (const server of servers) {
      try {
        await readServer(server, update, hidden);
      } catch (error) {
        update.errors.push({ serverId: server.id, error: serializeError(error) });
      }
    }
    update.tasks.sort((a, b) => b.createdAt - a.createdAt);
    return update;
  }

  function schedule(update: FeedUpdate) {
    if (listeners === 0) return;
    const running = update.tasks.some((task) => !hasTaskEnded(task.status));
    idleRounds = running ? 0 : idleRounds + 1;
    const delay = running ? activeMs : idleMs[Math.min(idleRounds - 1, idleMs.length - 1)]!;
    timer = setTimer(() => void poll(), delay);
  }

  /** Polls now (single-flight), posts the result and schedules the next round. */
  function poll(): Promise<FeedUpdate> {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    polling ??= round().then((update) => {
      polling = undefined;
      last = update;
      deps.post(update);
      schedule(update);
      return update;
    });
    return polling;
  }

  return {
    /** A popup connected: poll at once and keep polling while any listens. */
    attach(): Promise<FeedUpdate> {
      listeners += 1;
      idleRounds = 0;
      return poll();
    },
    detach(): void {
      listeners = Math.max(0, listeners - 1);
      if (listeners > 0) return;
      if (timer !== undefined) clearTimer(timer);
      timer = undefined;
      pages = 1;
    },
    /** Something changed (a task was started): look again soon. */
    refresh(): Promise<FeedUpdate> | undefined {
      if (listeners === 0) return undefined;
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
      const finished = last.tasks
        .filter((task) => hasTaskEnded(task.status))
        .map((task) => `${task.serverId}/${task.id}`);
      const merged = [...new Set([...(await deps.hidden.load()), ...keys, ...finished])];
      await deps.hidden.save(merged.slice(-MAX_HIDDEN));
      // A round already under way read the list before these were hidden: look once more after it.
      await polling;
      if (listeners > 0) await poll();
    },
    listeners: () => listeners,
  };
}

export type TaskFeed = ReturnType<typeof createTaskFeed>;

/** The feed with its hidden-task list kept in `storage.local`. */
export function createStoredTaskFeed(options: Omit<TaskFeedDeps, 'hidden'>): TaskFeed {
  return createTaskFeed({
    hidden: { load: () => hiddenTasksItem.getValue(), save: (keys) => hiddenTasksItem.setValue(keys) },
    ...options,
  });
}
