import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createJobStore } from './store';
import { newBrowserJob } from './testing/browser-job';
import type { BrowserJob } from './types';
import type { EntryCheckpoint } from '../zip/writer';

let counter = 0;
const freshStore = () => createJobStore(`test-${counter++}`);

function browserJob(id: string, createdAt: number): BrowserJob {
  return newBrowserJob(id, {
    serverId: 's1',
    name: 'a.zip',
    sources: ['cloudreve://my/a'],
    createdAt,
    updatedAt: createdAt,
  });
}

describe('job store', () => {
  it('lists jobs newest first', async () => {
    const store = freshStore();
    await store.put(browserJob('old', 1));
    await store.put(browserJob('new', 2));
    expect((await store.list()).map((job) => job.id)).toEqual(['new', 'old']);
  });

  it('keeps entries in order and reads them in pages', async () => {
    const store = freshStore();
    const entries = Array.from({ length: 25 }, (_, i) => ({
      name: `f${i}`,
      kind: 'file' as const,
      size: i,
      modified: 0,
      ref: `r${i}`,
    }));
    await store.appendEntries('j', 0, entries.slice(0, 10));
    await store.appendEntries('j', 10, entries.slice(10));
    await store.appendEntries('other', 0, entries.slice(0, 3));
    expect(await store.readEntries('j', 8, 5)).toEqual(entries.slice(8, 13));
    expect(await store.readEntries('j', 20, 100)).toHaveLength(5);
  });

  it('commits checkpoints together with the job and clears them', async () => {
    const store = freshStore();
    const job = browserJob('j', 1);
    await store.put(job);
    const checkpoint = { name: 'a.txt', offset: 0 } as unknown as EntryCheckpoint;
    await store.commitCheckpoints({ ...job, entriesDone: 2 }, 0, [checkpoint, null]);
    expect(await store.readCheckpoints('j')).toEqual([checkpoint, null]);
    expect((await store.get('j'))?.kind === 'browser' && (await store.get('j'))).toMatchObject({ entriesDone: 2 });
    await store.delete('j');
    expect(await store.readCheckpoints('j')).toEqual([]);
    expect(await store.get('j')).toBeUndefined();
  });
});
