/**
 * The popup's state: a pure fold of what the worker pushes on the `jobs` port
 * (snapshot, job, servers, server-tasks). The popup keeps nothing of its own,
 * so closing and reopening it loses nothing.
 */
import { hasTaskEnded } from '@/lib/cloudreve/workflow';
import type { SerializedError } from '@/lib/errors';
import { hasJobEnded, type Job } from '@/lib/jobs/types';
import type { JobsPortMessage } from '@/lib/messaging/jobs-port';
import { sameAccount, type ServerView } from '@/lib/servers/types';
import type { JobAccount, ServerTask } from '@/lib/jobs/types';

export interface JobsState {
  /** False until the first snapshot arrived. */
  loaded: boolean;
  jobs: Job[];
  servers: ServerView[];
  /** Server tasks of every signed-in server (including ones started elsewhere). */
  tasks: ServerTask[];
  /** Servers whose task list has more pages. */
  more: string[];
  feedErrors: { serverId: string; error: SerializedError }[];
}

/** One line of the list: our own job, or a server task we did not start. */
export type Row = { key: string; createdAt: number } & ({ kind: 'job'; job: Job } | { kind: 'task'; task: ServerTask });

export const INITIAL_STATE: JobsState = { loaded: false, jobs: [], servers: [], tasks: [], more: [], feedErrors: [] };

export function reduce(state: JobsState, message: JobsPortMessage): JobsState {
  switch (message.type) {
    case 'snapshot':
      return { ...state, loaded: true, jobs: message.jobs, servers: message.servers };
    case 'job': {
      const others = state.jobs.filter((job) => job.id !== message.job.id);
      return { ...state, jobs: [...others, message.job] };
    }
    case 'servers':
      return { ...state, servers: message.servers };
    case 'server-tasks':
      return { ...state, tasks: message.tasks, more: message.more, feedErrors: message.errors };
    default:
      return state;
  }
}

/** Jobs and foreign server tasks, newest first; a task we follow shows once, as our job. */
export function rowsOf(state: JobsState): Row[] {
  const followed = new Set(
    state.jobs.flatMap((job) => (job.kind === 'server' ? [`${job.serverId}/${job.taskId}`] : [])),
  );
  const rows: Row[] = state.jobs.map((job) => ({ key: `job:${job.id}`, createdAt: job.createdAt, kind: 'job', job }));
  for (const task of state.tasks) {
    if (followed.has(`${task.serverId}/${task.id}`)) continue;
    rows.push({ key: `task:${task.serverId}/${task.id}`, createdAt: task.createdAt, kind: 'task', task });
  }
  return rows.sort((a, b) => b.createdAt - a.createdAt || a.key.localeCompare(b.key));
}

/** Who a row belongs to (undefined: a WebDAV job, or a job saved before accounts were kept). */
export function rowAccount(row: Row): JobAccount | undefined {
  return row.kind === 'job' ? row.job.account : row.task.account;
}

/**
 * Whether a row is the current account's: on a Cloudreve server, the account the extension is
 * signed in with now; a WebDAV server's record is one account. Another account's rows, and rows of
 * an unknown account, are shown apart and without actions (lib/service/job-accounts.ts).
 */
export function isCurrentAccount(row: Row, servers: ServerView[]): boolean {
  const serverId = row.kind === 'job' ? row.job.serverId : row.task.serverId;
  const server = servers.find((candidate) => candidate.id === serverId);
  if (!server || server.kind !== 'cloudreve') return true;
  // A share link's anonymous visitor's job sends no token: whoever is signed in may follow it.
  if (row.kind === 'job' && row.job.kind === 'browser' && row.job.anonymous) return true;
  return sameAccount(rowAccount(row), server.account);
}

export function hasRowEnded(row: Row): boolean {
  return row.kind === 'job' ? hasJobEnded(row.job) : hasTaskEnded(row.task.status);
}

/** A tiny observable store fed by port messages. */
export function createJobsStore(initial: JobsState = INITIAL_STATE) {
  let state = initial;
  const listeners = new Set<(state: JobsState) => void>();
  return {
    get: () => state,
    apply(message: JobsPortMessage) {
      state = reduce(state, message);
      for (const listener of listeners) listener(state);
    },
    /** Jobs that ended are dropped at once when "Clear finished" is pressed (the worker deletes them). */
    dropFinished() {
      state = { ...state, jobs: state.jobs.filter((job) => !hasJobEnded(job)) };
      for (const listener of listeners) listener(state);
    },
    subscribe(listener: (state: JobsState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type JobsStore = ReturnType<typeof createJobsStore>;
