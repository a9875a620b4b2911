import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { ArchiveDestination, ResumeState } from '../archive/types';
import { createMemorySpool } from '../spool/testing/memory-spool';
import { createJobQueue } from './queue';
import { createJobStore } from './store';
import { newLocalJob } from './testing/local-job';

let counter = 0;

const RESUME: ResumeState = { kind: 'webdav', size: 100, temp: '.out.zip.part-0a1b2c' };

function setUp(partsFail = false) {
  const store = createJobStore(`queue-${counter++}`);
  const discard = vi.fn(async () => undefined);
  const destination: ArchiveDestination = {
    label: 'dav:/',
    freeName: async (name) => name,
    store: async () => ({ name: 'out.zip', size: 100 }),
    discard,
  };
  const queue = createJobQueue({
    store,
    openIo: async () => {
      if (partsFail) throw new Error('signed out');
      return {
        spool: createMemorySpool(),
        source: { list: async function* () {}, open: async () => null },
        destination,
      };
    },
    removeSpool: async () => undefined,
    onChange: () => undefined,
  });
  return { store, queue, discard };
}

describe('job queue: cancelling a job no worker runs', () => {
  it('undoes the upload it left on the server and forgets it', async () => {
    const { store, queue, discard } = setUp();
    await store.put(
      newLocalJob('j1', { phase: 'failed', archiveSize: 100, upload: { name: 'out.zip', resume: RESUME } }),
    );
    await queue.cancel('j1');
    expect(discard).toHaveBeenCalledWith(RESUME, expect.any(AbortSignal));
    expect(await store.get('j1')).toMatchObject({ phase: 'cancelled', upload: undefined });
  });

  it('still cancels when the server cannot be reached', async () => {
    const { store, queue, discard } = setUp(true);
    await store.put(
      newLocalJob('j2', { phase: 'failed', archiveSize: 100, upload: { name: 'out.zip', resume: RESUME } }),
    );
    await queue.cancel('j2');
    expect(discard).not.toHaveBeenCalled();
    expect(await store.get('j2')).toMatchObject({ phase: 'cancelled' });
  });

  it('asks nothing of the server when no upload had started', async () => {
    const { store, queue, discard } = setUp();
    await store.put(newLocalJob('j3', { phase: 'failed' }));
    await queue.cancel('j3');
    expect(discard).not.toHaveBeenCalled();
    expect(await store.get('j3')).toMatchObject({ phase: 'cancelled' });
  });
});
