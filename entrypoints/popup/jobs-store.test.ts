import { describe, expect, it } from 'vitest';
import { newBrowserJob } from '@/lib/jobs/testing/browser-job';
import type { BrowserJob, ServerJob } from '@/lib/jobs/types';
import type { ServerView } from '@/lib/servers/types';
import type { ServerTask } from '@/lib/jobs/types';
import { createJobsStore, rowsOf } from './jobs-store';
import { describeRow, folderLabel } from './row-model';

const server: ServerView = {
  id: 's1',
  origin: 'http://127.0.0.1:9',
  kind: 'cloudreve',
  label: 'Sandbox',
  authState: 'signed-in',
};

function browserJob(id: string, createdAt: number, patch: Partial<BrowserJob> = {}): BrowserJob {
  return newBrowserJob(id, {
    serverId: 's1',
    name: `${id}.zip`,
    sources: ['cloudreve://my/a', 'cloudreve://my/b'],
    destination: { kind: 'cloudreve', folderUri: 'cloudreve://my/Out%20Dir' },
    createdAt,
    updatedAt: createdAt,
    phase: 'zipping',
    progress: { filesDone: 1, filesTotal: 4, bytesDone: 500, bytesTotal: 1000, skipped: 1, speed: 100 },
    entriesDone: 1,
    ...patch,
  });
}

function serverJob(id: string, taskId: string, createdAt: number, patch: Partial<ServerJob> = {}): ServerJob {
  return {
    id,
    kind: 'server',
    taskId,
    serverId: 's1',
    name: `${id}.zip`,
    sources: ['cloudreve://my/a'],
    destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
    createdAt,
    updatedAt: createdAt,
    status: 'processing',
    ...patch,
  };
}

const task = (id: string, createdAt: number, patch: Partial<ServerTask> = {}): ServerTask => ({
  id,
  serverId: 's1',
  status: 'processing',
  phase: 'compress_files',
  nodeName: 'Master',
  name: `${id}.zip`,
  sources: ['cloudreve://my/x'],
  folderUri: 'cloudreve://my',
  createdAt,
  updatedAt: createdAt,
  progress: { key: 'archive_size', current: 2048, total: 0 },
  ...patch,
});

describe('jobs store', () => {
  it('folds port messages and merges server tasks with our jobs by task id, newest first', () => {
    const store = createJobsStore();
    const seen: number[] = [];
    store.subscribe((state) => seen.push(state.jobs.length));
    store.apply({ type: 'snapshot', jobs: [browserJob('j1', 10), serverJob('j2', 'T2', 20)], servers: [server] });
    store.apply({ type: 'server-tasks', tasks: [task('T2', 20), task('T3', 30)], more: ['s1'], errors: [] });
    store.apply({ type: 'job', job: browserJob('j1', 10, { phase: 'done' }) });
    const state = store.get();
    expect(state.loaded).toBe(true);
    expect(rowsOf(state).map((row) => row.key)).toEqual(['task:s1/T3', 'job:j2', 'job:j1']);
    expect(state.jobs.find((job) => job.id === 'j1')).toMatchObject({ phase: 'done' });
    expect(state.more).toEqual(['s1']);
    store.dropFinished();
    expect(rowsOf(store.get()).map((row) => row.key)).toEqual(['task:s1/T3', 'job:j2']);
    expect(seen).toEqual([2, 2, 2, 1]);
  });
});

describe('row model', () => {
  it('describes a running browser job with progress, speed, ETA, skipped files and cancel', () => {
    const model = describeRow({ key: 'job:j1', createdAt: 1, kind: 'job', job: browserJob('j1', 1) }, [server]);
    expect(model).toMatchObject({
      title: 'j1.zip',
      sources: 2,
      folder: '/Out Dir',
      where: 'In the browser',
      tone: 'running',
      status: 'Compressing',
      progress: { value: 0.5, label: '1 of 4 files' },
      speed: '100 B/s',
      eta: '5 s left',
      skipped: 1,
      actions: { cancel: 'j1', openFolder: 'http://127.0.0.1:9/home?path=cloudreve%3A%2F%2Fmy%2FOut%2520Dir' },
    });
    expect(model.actions.retry).toBeUndefined();
  });

  it('offers "run in the browser instead" for a failed server job and shows its error', () => {
    const job = serverJob('j2', 'T2', 1, {
      status: 'error',
      error: { code: 'cloudreve', message: 'disk on fire' },
      errorHistory: ['first try failed', 'disk on fire'],
      retryCount: 1,
    });
    const model = describeRow({ key: 'job:j2', createdAt: 1, kind: 'job', job }, [server]);
    expect(model.tone).toBe('failed');
    expect(model.error).toContain('disk on fire');
    expect(model.errorHistory).toEqual(['first try failed']);
    expect(model.retryCount).toBe(1);
    expect(
      describeRow({ key: 'x', createdAt: 1, kind: 'job', job: { ...job, replacedBy: 'j9' } }, [server]).status,
    ).toBe('Failed · run again in the browser');
    expect(model.actions.runInBrowser).toBe('j2');
    expect(
      describeRow({ key: 'x', createdAt: 1, kind: 'job', job: { ...job, replacedBy: 'j9' } }, [server]).actions
        .runInBrowser,
    ).toBeUndefined();
  });

  it('says when a running job waits for its server to answer again', () => {
    const job = browserJob('j3', 1);
    job.progress.waitingSince = 5;
    const model = describeRow({ key: 'job:j3', createdAt: 1, kind: 'job', job }, [server]);
    expect(model).toMatchObject({ tone: 'running', status: 'Waiting for the server to answer again' });
    expect(model.actions.cancel).toBe('j3');
  });

  it('shows master-node archive progress as indeterminate and a completed task as downloadable', () => {
    const running = describeRow({ key: 'k', createdAt: 1, kind: 'task', task: task('T3', 1) }, [server]);
    expect(running.progress).toEqual({ value: undefined, label: '2 KB so far' });
    expect(running.status).toBe('Running on the server · compressing files');
    expect(running.where).toBe('Master');
    const done = describeRow({ key: 'k', createdAt: 1, kind: 'task', task: task('T4', 1, { status: 'completed' }) }, [
      server,
    ]);
    expect(done.progress).toBeUndefined();
    expect(done.actions.download).toEqual({ serverId: 's1', uri: 'cloudreve://my/T4.zip' });
  });

  it('decodes folder paths for display', () => {
    expect(folderLabel({ kind: 'cloudreve', folderUri: 'cloudreve://my/%E4%B8%AD%E6%96%87/a%20b' })).toBe('/中文/a b');
    expect(folderLabel({ kind: 'webdav', folder: 'Out/' })).toBe('/Out/');
    expect(folderLabel({ kind: 'cloudreve', folderUri: 'cloudreve://my' })).toBe('My files');
  });
});
