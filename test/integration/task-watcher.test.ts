/**
 * How many `/workflow` requests the task watcher sends the sandbox while a
 * popup is open and a task we started runs (`processing`, with progress to
 * report). Time is simulated with the watcher's timer hooks: the clock moves by
 * the delays the watcher asks for, one simulated minute (30 ticks of 2 s), so
 * the count does not depend on the machine's speed.
 *
 * Counted the same way on earlier code: the two pollers (a tracker every 2 s
 * beside the popup's feed every 4 s) sent 46 lists and 46 progress requests;
 * one watcher with a shared round every 2 s sent 31 and 31. The watcher now
 * keeps 2 s only for the first rounds of a followed task, then 4 s: 18 and 18.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenManager, type TokenPair } from '../../lib/cloudreve/auth';
import { createCloudreveClient } from '../../lib/cloudreve/client';
import { createArchiveTask, listTasks } from '../../lib/cloudreve/workflow';
import type { JobStore } from '../../lib/jobs/store';
import type { ServerJob } from '../../lib/jobs/types';
import { createTaskWatcher } from '../../lib/service/task-watcher';
import { startSandbox, type Sandbox } from '../../sandbox/server';

let sb: Sandbox;

beforeAll(async () => {
  // The task starts at once and then waits this long in real time after each file it compresses:
  // it stays `processing` while the test simulates a minute.
  sb = await startSandbox({ page: 'placeholder', config: { faults: { taskStepMs: 0, taskFileDelayMs: 20_000 } } });
});
afterAll(() => sb?.stop());

async function countingClient() {
  let pair: TokenPair | undefined;
  const auth = createTokenManager({
    origin: sb.url,
    store: { load: async () => pair, save: async (next: TokenPair | undefined) => void (pair = next) },
  });
  await auth.login({ email: 'admin@example.com', password: 'admin123' });
  const paths: string[] = [];
  const client = createCloudreveClient({
    origin: sb.url,
    getAccessToken: auth.getAccessToken,
    fetch: (input, init) => {
      paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, init);
    },
  });
  return { client, paths };
}

describe('the task watcher against the sandbox', () => {
  it('reads /workflow once per round for the followed job and the popup together, half as often as two pollers', async () => {
    const { client, paths } = await countingClient();
    const task = await createArchiveTask(client, { src: ['cloudreve://my/Docs'], dst: 'cloudreve://my/watched.zip' });
    const running = async () =>
      (await listTasks(client, { pageSize: 10 })).tasks.some(
        (each) => each.id === task.id && each.status === 'processing',
      );
    while (!(await running())) await new Promise((resolve) => setTimeout(resolve, 20));
    const job: ServerJob = {
      id: 'job-1',
      kind: 'server',
      serverId: 's1',
      taskId: task.id,
      status: task.status,
      name: 'watched.zip',
      sources: ['cloudreve://my/Docs'],
      destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
      createdAt: 1,
      updatedAt: 1,
    };
    const jobs = new Map([[job.id, job]]);
    const store = {
      get: async (id: string) => jobs.get(id),
      list: async () => [...jobs.values()],
      put: async (next: ServerJob) => void jobs.set(next.id, next),
    } as unknown as JobStore;
    const pending: { run: () => void; ms: number }[] = [];
    const clearTimer = (timer: unknown) => {
      const index = pending.indexOf(timer as never);
      if (index >= 0) pending.splice(index, 1);
    };
    const watcher = createTaskWatcher({
      store,
      client: async () => client,
      servers: async () => [{ id: 's1', client }],
      setTimer: (run, ms) => {
        const timer = { run, ms };
        pending.push(timer);
        return timer;
      },
      clearTimer,
    });
    let feeds = 0;
    watcher.on('feed', () => void (feeds += 1));

    paths.length = 0;
    watcher.follow(job);
    await watcher.attach();
    // One simulated minute with the popup open: run each round the watcher schedules.
    let simulated = 0;
    while (simulated < 60_000) {
      const next = pending.shift()!;
      simulated += next.ms;
      next.run();
      while (pending.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    watcher.detach();

    const lists = paths.filter((path) => path === '/api/v4/workflow').length;
    const progress = paths.filter((path) => path.startsWith('/api/v4/workflow/progress/')).length;
    const rounds = feeds;
    expect(jobs.get('job-1')!.status).toBe('processing');
    // The round on attach, four more 2 s apart, then one every 4 s: at 12, 16, … 60 s.
    expect(rounds).toBe(1 + 4 + 13);
    expect({ lists, progress }).toEqual({ lists: rounds, progress: rounds });
    expect(lists + progress).toBeLessThanOrEqual((46 + 46) / 2);
  });
});
