import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_SIZE_ERROR, NO_NODE_ERROR } from '../archive-task';
import { SEED_MTIME } from '../fs';
import type { Sandbox } from '../server';
import { startSandbox } from '../server';
import { api, delay, login } from './helpers';

let sb: Sandbox;
let token: string;

beforeAll(async () => {
  sb = await startSandbox({ page: 'placeholder', config: { faults: { taskStepMs: 20 } } });
  token = await login(sb);
});
afterAll(() => sb.stop());

interface Task {
  id: string;
  status: string;
  error?: string;
  summary: { phase?: string; props: { failed: number; dst: string; src_multiple: string[] } };
  node?: { name: string; type: string; capabilities: string };
}

async function findTask(id: string, as = token): Promise<Task> {
  const list = await api<{ tasks: Task[] }>(sb, '/workflow?page_size=100&category=general', { token: as });
  const task = list.data!.tasks.find((t) => t.id === id);
  if (!task) throw new Error(`task ${id} not listed`);
  return task;
}

async function waitFinished(id: string): Promise<Task> {
  for (let i = 0; i < 200; i++) {
    const task = await findTask(id);
    if (['completed', 'error', 'canceled'].includes(task.status)) return task;
    await delay(15);
  }
  throw new Error('task did not finish');
}

const archive = (src: string[], dst: string, as = token) =>
  api<Task>(sb, '/workflow/archive', { method: 'POST', token: as, body: { src, dst } });

/** Entry names read back by Python's zipfile (an independent reader) after `unzip -t`. */
function zipNames(path: string): string[] {
  execFileSync('unzip', ['-t', path]);
  const out = execFileSync('python3', [
    '-c',
    'import sys,zipfile,json;print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))',
    path,
  ]);
  return JSON.parse(out.toString()) as string[];
}

describe('POST /workflow/archive checks', () => {
  it('answers 401, 40001, 40007, 40004 in Cloudreve order', async () => {
    expect(
      (
        await api(sb, '/workflow/archive', {
          method: 'POST',
          body: { src: ['cloudreve://my/a%20b.txt'], dst: 'cloudreve://my/x.zip' },
        })
      ).code,
    ).toBe(401);
    expect(
      (await api(sb, '/workflow/archive', { method: 'POST', token, body: { dst: 'cloudreve://my/x.zip' } })).code,
    ).toBe(40001);
    const userToken = await login(sb, 'user@example.com', 'user123');
    expect((await api(sb, '/workflow/archive', { method: 'POST', token: userToken, body: { src: [] } })).code).toBe(
      40001,
    );
    const denied = await archive(['cloudreve://my/a%20b.txt'], 'cloudreve://my/x.zip', userToken);
    expect(denied.code).toBe(40007);
    expect(denied.msg).toBe('Group not allowed to compress files');
    expect((await archive(['cloudreve://my/a%20b.txt'], 'cloudreve://my/pixel.png')).code).toBe(40004);
    expect((await archive(['cloudreve://my/a%20b.txt'], 'not a uri')).code).toBe(40001);
  });

  it('follows runtime permission changes', async () => {
    const admin = sb.config.groups.find((g) => g.name === 'Admin')!;
    const saved = [...admin.permissions];
    sb.setGroupPermissions(
      'Admin',
      saved.filter((bit) => bit !== 5),
    );
    try {
      expect((await archive(['cloudreve://my/a%20b.txt'], 'cloudreve://my/perm.zip')).code).toBe(40007);
    } finally {
      sb.setGroupPermissions('Admin', saved);
    }
  });
});

describe('archive task lifecycle', () => {
  it('goes queued → processing → suspending → processing → completed with progress and a real zip', async () => {
    sb.config.faults.taskStepMs = 250;
    sb.config.faults.taskFileDelayMs = 40;
    try {
      const src = [
        'cloudreve://my/Docs',
        'cloudreve://my/100%25%20real%20%231%20%2B%20more%20%26%20co.txt',
        'cloudreve://my/Photos/sunset%20%F0%9F%8C%85.png',
      ];
      const created = await archive(src, 'cloudreve://my/new/out%20dir/archive%20(1).zip');
      expect(created.code).toBe(0);
      expect(created.data).toMatchObject({
        status: 'queued',
        type: 'create_archive',
        summary: { props: { src_multiple: src, dst: 'cloudreve://my/new/out%20dir/archive%20(1).zip', failed: 0 } },
      });
      expect(created.data!.summary.phase).toBeUndefined();
      expect(created.data!.node).toBeUndefined();
      const statuses: string[] = [];
      const progressKeys = new Set<string>();
      let sawCountGrowing = false;
      let task: Task;
      for (;;) {
        task = await findTask(created.data!.id);
        if (statuses[statuses.length - 1] !== task.status) statuses.push(task.status);
        const progress = await api(sb, `/workflow/progress/${created.data!.id}`, { token });
        for (const [key, value] of Object.entries(
          progress.data as Record<string, { current: number; total: number }>,
        )) {
          progressKeys.add(key);
          if (key === 'archive_count' && value.current > 0) {
            sawCountGrowing = true;
            expect(value.total).toBe(0);
          }
        }
        if (task.status === 'completed' || task.status === 'error') break;
        await delay(20);
      }
      expect(task.error).toBeUndefined();
      expect(statuses).toEqual(['queued', 'processing', 'suspending', 'processing', 'completed']);
      expect(task.node).toEqual({ id: expect.any(String), name: 'Master', type: 'master', capabilities: 'Dg==' });
      expect(task.summary.phase).toBe('upload_archive');
      expect([...progressKeys].sort()).toEqual(['archive_count', 'archive_size', 'upload']);
      expect(sawCountGrowing).toBe(true);
      expect((await api(sb, `/workflow/progress/${created.data!.id}`, { token })).data).toEqual({});
      const names = zipNames(sb.pathOf('admin@example.com', 'new/out dir/archive (1).zip'));
      expect(names.sort()).toEqual(
        [
          '100% real #1 + more & co.txt',
          'Docs/',
          'Docs/2024 reports (final)/',
          'Docs/2024 reports (final)/blank.txt',
          'Docs/2024 reports (final)/q1.txt',
          'Docs/2024 reports (final)/q2.txt',
          'Docs/Empty (nested)/',
          'Docs/readme.txt',
          'sunset 🌅.png',
        ].sort(),
      );
      // Entry mtime = file mtime (DOS time is local time; Python decodes the same fields).
      const dates = execFileSync('python3', [
        '-c',
        'import sys,zipfile,json;print(json.dumps({i.filename: i.date_time for i in zipfile.ZipFile(sys.argv[1]).infolist()}))',
        sb.pathOf('admin@example.com', 'new/out dir/archive (1).zip'),
      ]);
      const seed = SEED_MTIME;
      expect(JSON.parse(dates.toString())['Docs/readme.txt']).toEqual([
        seed.getFullYear(),
        seed.getMonth() + 1,
        seed.getDate(),
        seed.getHours(),
        seed.getMinutes(),
        seed.getSeconds(),
      ]);
      const listed = await api(sb, `/file?uri=${encodeURIComponent('cloudreve://my/new/out%20dir')}`, { token });
      expect(listed.data.files.map((f: { path: string }) => f.path)).toEqual([
        'cloudreve://my/new/out%20dir/archive%20(1).zip',
      ]);
    } finally {
      sb.config.faults.taskStepMs = 20;
      sb.config.faults.taskFileDelayMs = 0;
    }
  });

  it('fails the task for a missing source, compress_size, taskFails and noArchiveNode', async () => {
    const missing = await archive(['cloudreve://my/ghost.txt'], 'cloudreve://my/fail1.zip');
    expect((await waitFinished(missing.data!.id)).error).toContain('Path not exist');

    const admin = sb.config.groups.find((g) => g.name === 'Admin')!;
    admin.compressSize = 10;
    try {
      const tooBig = await archive(['cloudreve://my/Docs'], 'cloudreve://my/fail2.zip');
      expect((await waitFinished(tooBig.data!.id)).error).toBe(COMPRESS_SIZE_ERROR);
    } finally {
      admin.compressSize = 0;
    }

    sb.config.faults.taskFails = 'simulated failure';
    try {
      const failing = await archive(['cloudreve://my/a%20b.txt'], 'cloudreve://my/fail3.zip');
      const task = await waitFinished(failing.data!.id);
      expect(task).toMatchObject({ status: 'error', error: 'simulated failure' });
    } finally {
      sb.config.faults.taskFails = null;
    }

    sb.config.faults.noArchiveNode = true;
    try {
      const noNode = await archive(['cloudreve://my/a%20b.txt'], 'cloudreve://my/fail4.zip');
      expect((await waitFinished(noNode.data!.id)).error).toBe(NO_NODE_ERROR);
    } finally {
      sb.config.faults.noArchiveNode = false;
    }
  });

  it('skips unreadable files and counts them in summary.props.failed', async () => {
    sb.config.faults.unreadable = ['Docs/readme.txt'];
    try {
      const created = await archive(['cloudreve://my/Docs'], 'cloudreve://my/partial.zip');
      const task = await waitFinished(created.data!.id);
      expect(task.status).toBe('completed');
      expect(task.summary.props.failed).toBe(1);
      expect(zipNames(sb.pathOf('admin@example.com', 'partial.zip'))).not.toContain('Docs/readme.txt');
    } finally {
      sb.config.faults.unreadable = [];
    }
  });
});

describe('task list and progress', () => {
  it('lists newest first with cursor pagination and validates parameters', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push((await archive(['cloudreve://my/a%20b.txt'], `cloudreve://my/many/${i}.zip`)).data!.id);
    const first = await api(sb, '/workflow?page_size=10&category=general', { token });
    expect(first.data.tasks[0].id).toBe(ids[11]);
    expect(first.data.tasks).toHaveLength(10);
    const next = first.data.pagination.next_token;
    expect(typeof next).toBe('string');
    const second = await api(
      sb,
      `/workflow?page_size=10&category=general&next_page_token=${encodeURIComponent(next)}`,
      { token },
    );
    const all = [...first.data.tasks, ...second.data.tasks].map((t: Task) => t.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, 12)).toEqual([...ids].reverse());
    for (const query of [
      'page_size=5&category=general',
      'page_size=101&category=general',
      'page_size=10&category=other',
      'page_size=10',
    ]) {
      expect((await api(sb, `/workflow?${query}`, { token })).code).toBe(40001);
    }
    expect((await api(sb, '/workflow?page_size=10&category=general')).code).toBe(401);
    for (const id of ids) await waitFinished(id);
  });

  it('answers 40001 for undecodable ids and {} for other users', async () => {
    expect((await api(sb, '/workflow/progress/!!!', { token })).code).toBe(40001);
    sb.config.faults.taskStepMs = 300;
    try {
      const created = await archive(['cloudreve://my/a%20b.txt'], 'cloudreve://my/private.zip');
      const userToken = await login(sb, 'user@example.com', 'user123');
      expect(await api(sb, `/workflow/progress/${created.data!.id}`, { token: userToken })).toEqual({
        code: 0,
        data: {},
        msg: '',
      });
      const userList = await api(sb, '/workflow?page_size=10&category=general', { token: userToken });
      expect(userList.data.tasks).toEqual([]);
    } finally {
      sb.config.faults.taskStepMs = 20;
    }
  });
});
