import { describe, expect, it } from 'vitest';
import { createCloudreveClient } from './client';
import { createFakeFetch, envelope, ok } from './testing/fake-fetch';
import { findTask } from './testing/lookups';
import { TaskStatus } from './types';
import { createArchiveTask, createArchiveTaskNoClobber, getTaskProgress, hasTaskEnded, listTasks } from './workflow';

function setup(handler: Parameters<typeof createFakeFetch>[0]) {
  const fake = createFakeFetch(handler);
  return {
    client: createCloudreveClient({
      origin: 'https://cloud.example',
      fetch: fake.fetch,
      getAccessToken: async () => 'T',
    }),
    calls: fake.calls,
  };
}

const task = (id: string, dst = '') => ({
  id,
  status: 'queued',
  type: 'create_archive',
  created_at: '',
  updated_at: '',
  summary: { props: { dst } },
});

describe('workflow', () => {
  it('creates an archive task, sending preferred_node_id only when given', async () => {
    const t = setup([['POST /api/v4/workflow/archive', ({ json }) => ok(task('t1', (json as { dst: string }).dst))]]);
    await createArchiveTask(t.client, { src: ['cloudreve://my/a'], dst: 'cloudreve://my/a.zip' });
    await createArchiveTask(t.client, {
      src: ['cloudreve://my/a'],
      dst: 'cloudreve://my/b.zip',
      preferredNodeId: 'm9uO',
    });
    expect(t.calls.map((call) => call.json)).toEqual([
      { src: ['cloudreve://my/a'], dst: 'cloudreve://my/a.zip' },
      { src: ['cloudreve://my/a'], dst: 'cloudreve://my/b.zip', preferred_node_id: 'm9uO' },
    ]);
  });

  it('maps 40007 to group-not-allowed', async () => {
    const t = setup([
      ['POST /api/v4/workflow/archive', () => envelope(40007, undefined, 'Group not allowed to compress files')],
    ]);
    await expect(
      createArchiveTask(t.client, { src: ['cloudreve://my/a'], dst: 'cloudreve://my/a.zip' }),
    ).rejects.toMatchObject({ code: 'group-not-allowed', serverCode: 40007 });
  });

  it('retries with numbered names on 40004', async () => {
    const taken = new Set(['cloudreve://my/Out/a%20b.zip', 'cloudreve://my/Out/a%20b%20(1).zip']);
    const t = setup([
      [
        'POST /api/v4/workflow/archive',
        ({ json }) => {
          const { dst } = json as { dst: string };
          return taken.has(dst) ? envelope(40004, undefined, 'Object existed') : ok(task('t9', dst));
        },
      ],
    ]);
    const result = await createArchiveTaskNoClobber(t.client, {
      src: ['cloudreve://my/x'],
      folderUri: 'cloudreve://my/Out',
      name: 'a b.zip',
    });
    expect(result).toMatchObject({
      name: 'a b (2).zip',
      dst: 'cloudreve://my/Out/a%20b%20(2).zip',
      task: { id: 't9' },
    });
    expect(t.calls).toHaveLength(3);
  });

  it('stops naming after other errors and after 100 tries', async () => {
    const denied = setup([['POST *', () => envelope(40007)]]);
    await expect(
      createArchiveTaskNoClobber(denied.client, { src: [], folderUri: 'cloudreve://my', name: 'a.zip' }),
    ).rejects.toMatchObject({ code: 'group-not-allowed' });
    expect(denied.calls).toHaveLength(1);
    const full = setup([['POST *', () => envelope(40004)]]);
    await expect(
      createArchiveTaskNoClobber(full.client, { src: [], folderUri: 'cloudreve://my', name: 'a.zip' }),
    ).rejects.toMatchObject({ code: 'destination-exists' });
    expect(full.calls).toHaveLength(100);
  });

  it('lists tasks with a clamped page size and finds one across pages', async () => {
    const t = setup([
      [
        'GET /api/v4/workflow',
        ({ url }) =>
          url.searchParams.get('next_page_token') === 'p2'
            ? ok({ tasks: [task('old')], pagination: { page: 0, page_size: 100 } })
            : ok({ tasks: [task('new')], pagination: { page: 0, page_size: 100, next_token: 'p2' } }),
      ],
    ]);
    await listTasks(t.client, { pageSize: 5 });
    expect(Object.fromEntries(t.calls[0]!.url.searchParams)).toEqual({ page_size: '10', category: 'general' });
    await expect(findTask(t.client, 'old')).resolves.toMatchObject({ id: 'old' });
    await expect(findTask(t.client, 'missing')).resolves.toBeUndefined();
  });

  it('reads progress', async () => {
    const t = setup([['GET /api/v4/workflow/progress/t1', () => ok({ upload: { total: 10, current: 4 } })]]);
    await expect(getTaskProgress(t.client, 't1')).resolves.toEqual({ upload: { total: 10, current: 4 } });
  });

  it.each([
    [TaskStatus.queued, false],
    [TaskStatus.processing, false],
    [TaskStatus.suspending, false],
    [TaskStatus.error, true],
    [TaskStatus.canceled, true],
    [TaskStatus.completed, true],
  ])('hasTaskEnded(%s) = %s', (status, final) => {
    expect(hasTaskEnded(status)).toBe(final);
  });
});
