import { describe, expect, it } from 'vitest';
import { createCloudreveClient, type CloudreveClient } from '../cloudreve/client';
import { createFakeFetch, envelope, ok } from '../cloudreve/testing/fake-fetch';
import type { JobStore } from '../jobs/store';
import type { ServerJob } from '../jobs/types';
import type { FeedUpdate } from '../messaging/payloads';
import { createTaskWatcher, toServerTask, type TaskWatcherDeps } from './task-watcher';

const task = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
  id,
  status,
  type: 'create_archive',
  created_at: `2026-01-0${id.length}T00:00:00Z`,
  updated_at: '2026-01-01T00:00:00Z',
  node: { id: 'n1', name: 'Master', type: 'master', capabilities: 'Dg==' },
  summary: {
    phase: 'compress_files',
    props: { src_multiple: ['cloudreve://my/a', 'cloudreve://my/b'], dst: 'cloudreve://my/Out%20Dir/x.zip', failed: 2 },
  },
  ...extra,
});

function server(pages: Record<string, unknown>[][]) {
  const fake = createFakeFetch([
    [
      'GET *',
      (request) => {
        const path = request.url.pathname;
        if (path.startsWith('/api/v4/workflow/progress/')) {
          return ok({ archive_size: { current: 10, total: 0 } });
        }
        if (path !== '/api/v4/workflow') return envelope(404);
        const token = request.url.searchParams.get('next_page_token');
        const index = token ? Number(token) : 0;
        const next = index + 1 < pages.length ? String(index + 1) : undefined;
        return ok({ tasks: pages[index], pagination: { page: 0, page_size: 50, next_token: next, is_cursor: true } });
      },
    ],
  ]);
  const client = createCloudreveClient({
    origin: 'https://cloud.example',
    fetch: fake.fetch,
    getAccessToken: async () => 'T',
  });
  return { client, calls: fake.calls };
}

/** The watcher as the popup's feed sees it (no followed jobs). */
function createTaskFeed({ post, ...deps }: Omit<TaskWatcherDeps, 'store' | 'client'> & { post(u: FeedUpdate): void }) {
  const store = { get: async () => undefined, list: async () => [], put: async () => {} } as unknown as JobStore;
  const watcher = createTaskWatcher({ store, client: async () => Promise.reject(new Error('unused')), ...deps });
  watcher.on('feed', post);
  return watcher;
}

function manualTimers() {
  const pending: { run: () => void; ms: number }[] = [];
  return {
    pending,
    setTimer: (run: () => void, ms: number) => {
      const entry = { run, ms };
      pending.push(entry);
      return entry;
    },
    clearTimer: (entry: unknown) => void pending.splice(pending.indexOf(entry as never), 1),
  };
}

describe('toServerTask', () => {
  it('reads name, folder, sources, skipped count and progress from the task', () => {
    const row = toServerTask('s1', task('t1', 'processing') as never, { archive_count: { current: 3, total: 0 } });
    expect(row).toMatchObject({
      id: 't1',
      serverId: 's1',
      name: 'x.zip',
      folderUri: 'cloudreve://my/Out%20Dir',
      sources: ['cloudreve://my/a', 'cloudreve://my/b'],
      failedFiles: 2,
      nodeName: 'Master',
      phase: 'compress_files',
      progress: { key: 'archive_count', current: 3, total: 0 },
    });
  });
});

describe('createTaskFeed', () => {
  it('lists only archive tasks, asks progress only for running ones, newest first', async () => {
    const { client, calls } = server([
      [task('t1', 'completed'), task('t22', 'processing'), { ...task('t333', 'queued'), type: 'relocate' }],
    ]);
    const timers = manualTimers();
    const posted: FeedUpdate[] = [];
    const feed = createTaskFeed({
      servers: async () => [{ id: 's1', client }],
      post: (u) => posted.push(u),
      ...timers,
    });
    const update = await feed.attach();
    expect(update.tasks.map((t) => t.id)).toEqual(['t22', 't1']);
    expect(update.tasks[0]!.progress).toEqual({ key: 'archive_size', current: 10, total: 0 });
    const progressCalls = calls.filter((c) => c.url.pathname.includes('/progress/')).map((c) => c.url.pathname);
    expect(progressCalls).toEqual(['/api/v4/workflow/progress/t22']);
    expect(calls[0]!.url.searchParams.get('category')).toBe('general');
    expect(posted).toHaveLength(1);
    // A task runs: the next round comes soon.
    expect(timers.pending.map((t) => t.ms)).toEqual([4_000]);
  });

  it('asks no progress of a queued or suspending task: the list already says it has none', async () => {
    const { client, calls } = server([[task('t1', 'queued'), task('t22', 'suspending'), task('t333', 'processing')]]);
    const feed = createTaskFeed({ servers: async () => [{ id: 's1', client }], post: () => {}, ...manualTimers() });
    const update = await feed.attach();
    expect(update.tasks.map((t) => [t.id, t.progress?.key])).toEqual([
      ['t333', 'archive_size'],
      ['t22', undefined],
      ['t1', undefined],
    ]);
    const progressCalls = calls.filter((c) => c.url.pathname.includes('/progress/')).map((c) => c.url.pathname);
    expect(progressCalls).toEqual(['/api/v4/workflow/progress/t333']);
  });

  it('backs off to 20 s and then 60 s while nothing runs, and stops when the popup closes', async () => {
    const { client } = server([[task('t1', 'completed')]]);
    const timers = manualTimers();
    const feed = createTaskFeed({ servers: async () => [{ id: 's1', client }], post: () => {}, ...timers });
    await feed.attach();
    expect(timers.pending.map((t) => t.ms)).toEqual([20_000]);
    await feed.refresh(); // refresh resets the back-off
    expect(timers.pending.map((t) => t.ms)).toEqual([20_000]);
    const first = timers.pending.shift()!;
    first.run();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(timers.pending.map((t) => t.ms)).toEqual([60_000]);
    feed.detach();
    expect(timers.pending).toEqual([]);
    expect(feed.refresh()).toBeUndefined();
  });

  it('follows the cursor on "load more" and says which servers have more', async () => {
    const { client } = server([[task('t1', 'completed')], [task('t22', 'error', { error: 'boom' })]]);
    const feed = createTaskFeed({ servers: async () => [{ id: 's1', client }], post: () => {}, ...manualTimers() });
    const first = await feed.attach();
    expect(first.tasks.map((t) => t.id)).toEqual(['t1']);
    expect(first.more).toEqual(['s1']);
    const second = await feed.loadMore();
    expect(second.tasks.map((t) => [t.id, t.error])).toEqual([
      ['t22', 'boom'],
      ['t1', undefined],
    ]);
    expect(second.more).toEqual([]);
  });

  it('reports a server that cannot be read without hiding the others', async () => {
    const good = server([[task('t1', 'completed')]]);
    const bad = createCloudreveClient({
      origin: 'https://down.example',
      fetch: createFakeFetch([['GET *', () => envelope(401, null, 'Login required')]]).fetch,
      getAccessToken: async () => 'T',
    });
    const feed = createTaskFeed({
      servers: async () => [
        { id: 'bad', client: bad },
        { id: 's1', client: good.client },
      ],
      post: () => {},
      ...manualTimers(),
    });
    const update = await feed.attach();
    expect(update.tasks.map((t) => t.id)).toEqual(['t1']);
    expect(update.errors.map((e) => [e.serverId, e.error.code])).toEqual([['bad', 'sign-in-required']]);
  });
});

describe('clearing finished tasks', () => {
  it('hides cleared and finished tasks from later rounds, keeps running ones', async () => {
    const { client } = server([[task('t1', 'completed'), task('t22', 'processing'), task('t333', 'error')]]);
    let kept: string[] = [];
    const feed = createTaskFeed({
      servers: async () => [{ id: 's1', client }],
      post: () => {},
      hidden: { load: async () => kept, save: async (keys) => void (kept = keys) },
      ...manualTimers(),
    });
    await feed.attach();
    await feed.clearFinished(['s1/t9']);
    expect(kept.sort()).toEqual(['s1/t1', 's1/t333', 's1/t9']);
    expect((await feed.refresh())!.tasks.map((t) => t.id)).toEqual(['t22']);
  });
});

describe('following the tasks we started', () => {
  const job = (taskId: string, extra: Partial<ServerJob> = {}): ServerJob => ({
    id: `job-${taskId}`,
    kind: 'server',
    serverId: 's1',
    taskId,
    status: 'queued',
    name: 'x.zip',
    sources: ['cloudreve://my/a'],
    destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
    createdAt: 1,
    updatedAt: 1,
    ...extra,
  });

  function memoryStore(jobs: ServerJob[]) {
    const byId = new Map(jobs.map((each) => [each.id, each]));
    return {
      byId,
      store: {
        get: async (id: string) => byId.get(id),
        list: async () => [...byId.values()],
        put: async (next: ServerJob) => void byId.set(next.id, next),
      } as unknown as JobStore,
    };
  }

  /** A watcher of `jobs` on one server listing `pages`, its rounds held by manual timers; `deps` may use the client. */
  function follower(
    pages: Record<string, unknown>[][],
    jobs: ServerJob[],
    deps: (client: CloudreveClient) => Partial<TaskWatcherDeps> = () => ({}),
  ) {
    const { client, calls } = server(pages);
    const { store, byId } = memoryStore(jobs);
    const timers = manualTimers();
    const watcher = createTaskWatcher({
      store,
      client: async (id) => ({ id, client }),
      servers: async () => [],
      ...timers,
      ...deps(client),
    });
    return { calls, byId, timers, watcher };
  }

  it('updates a followed job and the feed from one list read per round', async () => {
    const { calls, byId, timers, watcher } = follower(
      [[task('t1', 'processing'), task('t22', 'completed')]],
      [job('t1')],
      (client) => ({ servers: async () => [{ id: 's1', client }] }),
    );
    const feeds: FeedUpdate[] = [];
    watcher.on('feed', (update) => feeds.push(update));
    await watcher.resume();
    const update = await watcher.attach();
    expect(update.tasks.map((t) => t.id)).toEqual(['t22', 't1']);
    expect(byId.get('job-t1')).toMatchObject({ status: 'processing', failedFiles: 2, nodeName: 'Master' });
    expect(byId.get('job-t1')!.progress).toEqual({ key: 'archive_size', current: 10, total: 0 });
    const lists = calls.filter((c) => c.url.pathname === '/api/v4/workflow');
    const progress = calls.filter((c) => c.url.pathname.includes('/progress/'));
    expect([lists.length, progress.length, feeds.length]).toEqual([1, 1, 1]);
    expect(timers.pending.map((t) => t.ms)).toEqual([2_000]);
  });

  it('rounds come every 2 s for the first five of a followed task, then every 4 s', async () => {
    const { byId, timers, watcher } = follower([[task('t1', 'processing')]], [job('t1')]);
    watcher.follow(byId.get('job-t1')!);
    const delays: number[] = [];
    for (let round = 0; round < 7; round++) {
      const next = timers.pending.shift()!;
      delays.push(next.ms);
      next.run();
      while (timers.pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(delays).toEqual([2_000, 2_000, 2_000, 2_000, 2_000, 4_000, 4_000]);
  });

  it('keeps following after the popup closes, and stops when the task ends', async () => {
    const pages = [[task('t1', 'processing')]];
    const { byId, timers, watcher } = follower(pages, [job('t1')]);
    watcher.follow(byId.get('job-t1')!);
    await watcher.attach();
    watcher.detach();
    expect(timers.pending.map((t) => t.ms)).toEqual([2_000]);
    pages[0] = [task('t1', 'completed')];
    timers.pending.shift()!.run();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(byId.get('job-t1')!.status).toBe('completed');
    expect([watcher.following(), timers.pending.length]).toEqual([0, 0]);
  });

  it("leaves another account's task alone (its token is not used for it) and tags the feed with the account", async () => {
    const alice = { id: 'u1', email: 'alice@example.com' };
    const bob = { id: 'u2', email: 'bob@example.com' };
    const { calls, byId, watcher } = follower(
      [[task('t22', 'processing')]],
      [job('t1', { account: alice })],
      (client) => ({
        client: async (id) => ({ id, account: bob, client }),
        servers: async () => [{ id: 's1', account: bob, client }],
      }),
    );
    await watcher.resume();
    expect(watcher.following()).toBe(1);
    const update = await watcher.attach();
    expect(update.tasks.map((t) => [t.id, t.account?.email])).toEqual([['t22', 'bob@example.com']]);
    // One list read for the feed; none spent searching for Alice's task with Bob's token.
    expect(calls.filter((c) => c.url.pathname === '/api/v4/workflow')).toHaveLength(1);
    expect([watcher.following(), byId.get('job-t1')!.status]).toEqual([0, 'queued']);
  });

  it('announces a failed Auto task once, as an event', async () => {
    const { byId, watcher } = follower([[task('t1', 'error', { error: 'boom' })]], [job('t1', { autoFallback: true })]);
    const failed: ServerJob[] = [];
    watcher.on('taskFailed', (each) => void failed.push(each));
    await watcher.resume();
    await watcher.attach();
    await watcher.refresh();
    expect(failed.map((each) => [each.id, each.error?.message])).toEqual([['job-t1', 'boom']]);
    expect(byId.get('job-t1')!.status).toBe('error');
  });
});
