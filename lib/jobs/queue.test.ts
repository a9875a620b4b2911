import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import type { ArchiveDestination, ResumeState } from '../archive/types';
import { createMemorySpool } from '../spool/testing/memory-spool';
import { createJobQueue } from './queue';
import { traceOf, type JobTrace, type JobTraceEntry } from './trace';
import { createJobStore } from './store';
import { newBrowserJob } from './testing/browser-job';

let counter = 0;

const RESUME: ResumeState = { kind: 'webdav', size: 100, temp: '.out.zip.part-0a1b2c' };

function setUp(partsFail = false, store = createJobStore(`queue-${counter++}`)) {
  const discard = vi.fn(async () => undefined);
  const destination: ArchiveDestination = {
    label: 'dav:/',
    freeName: async (name) => name,
    store: async (file, name) => ({ name, size: file.size }),
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
      newBrowserJob('j1', { phase: 'failed', archiveSize: 100, upload: { name: 'out.zip', resume: RESUME } }),
    );
    await queue.cancel('j1');
    expect(discard).toHaveBeenCalledWith(RESUME, expect.any(AbortSignal));
    expect(await store.get('j1')).toMatchObject({ phase: 'cancelled', upload: undefined });
  });

  it('still cancels when the server cannot be reached', async () => {
    const { store, queue, discard } = setUp(true);
    await store.put(
      newBrowserJob('j2', { phase: 'failed', archiveSize: 100, upload: { name: 'out.zip', resume: RESUME } }),
    );
    await queue.cancel('j2');
    expect(discard).not.toHaveBeenCalled();
    expect(await store.get('j2')).toMatchObject({ phase: 'cancelled' });
  });

  it('asks nothing of the server when no upload had started', async () => {
    const { store, queue, discard } = setUp();
    await store.put(newBrowserJob('j3', { phase: 'failed' }));
    await queue.cancel('j3');
    expect(discard).not.toHaveBeenCalled();
    expect(await store.get('j3')).toMatchObject({ phase: 'cancelled' });
  });
});

describe('job queue: watchdog (issue 13 #2)', () => {
  it('fails a job that makes no progress instead of showing it as running forever', async () => {
    const store = createJobStore(`queue-${counter++}`);
    const never = new Promise<never>(() => {});
    const queue = createJobQueue({
      store,
      openIo: async () => ({
        spool: createMemorySpool(),
        // A listing that never answers and ignores the signal: the engine itself never returns.
        source: {
          list: async function* () {
            yield await never;
          },
          open: async () => null,
        },
        destination: { label: 'x', freeName: async (name) => name, store: async () => never },
      }),
      removeSpool: async () => undefined,
      onChange: () => undefined,
      watchdog: { stallMs: 200, checkMs: 20, graceMs: 50 },
    });
    await queue.enqueue(newBrowserJob('stuck'));
    await queue.idle();
    expect(await store.get('stuck')).toMatchObject({ phase: 'failed', error: { code: 'stalled' } });
  });
});

describe('job queue: records that vanished (issue 13 #2)', () => {
  it('reports a job that was running when the browser deleted its records', async () => {
    const store = createJobStore(`queue-${counter++}`);
    const traces = new Map<string, JobTraceEntry>();
    const trace: JobTrace = {
      running: async (entry) => void traces.set(entry.id, entry),
      ended: async (id) => void traces.delete(id),
      list: async () => [...traces.values()],
    };
    const job = newBrowserJob('lost', { name: 'photos.zip', phase: 'zipping' });
    // What a job leaves in storage.local while it runs…
    await trace.running(traceOf(job));
    // …and the browser wiped the database (the job store is empty).
    const queue = createJobQueue({
      store,
      openIo: async () => {
        throw new Error('not needed');
      },
      removeSpool: async () => undefined,
      onChange: () => undefined,
      trace,
    });
    await queue.resume();
    expect(await store.get('lost')).toMatchObject({
      kind: 'browser',
      name: 'photos.zip',
      phase: 'failed',
      error: { code: 'job-lost' },
    });
    expect(traces.size).toBe(0);
  });
});

describe('job queue: a job saved by the version that called browser jobs "local"', () => {
  it('resumes it as a browser job after the update', async () => {
    const name = `queue-${counter++}`;
    // The database as version 1 left it: same stores, the running job with `kind: 'local'`.
    const old = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore('jobs', { keyPath: 'id' }).createIndex('by-created', 'createdAt');
        database.createObjectStore('entries', { keyPath: ['jobId', 'index'] });
        database.createObjectStore('checkpoints', { keyPath: ['jobId', 'index'] });
      },
    });
    const listed = { files: 0, folders: 1, bytes: 0 };
    await old.put('jobs', { ...newBrowserJob('old', { name: 'out.zip', phase: 'zipping', listed }), kind: 'local' });
    // Its listing was saved before the update; the source lists nothing now, so the job must use it.
    const folder = { name: 'docs', kind: 'folder', size: 0, modified: 0, ref: 'docs' };
    await old.put('entries', { jobId: 'old', index: 0, entry: folder });
    old.close();

    const { store, queue } = setUp(false, createJobStore(name));
    await queue.resume();
    await queue.idle();
    const resumed = { kind: 'browser', phase: 'done', entriesDone: 1, result: { name: 'out.zip' } };
    expect(await store.get('old')).toMatchObject(resumed);
  });
});
