import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { ArchiveDestination, ResumeState } from '../archive/types';
import { createMemorySpool } from '../spool/testing/memory-spool';
import { createJobQueue } from './queue';
import { traceOf, type JobTrace, type JobTraceEntry } from './trace';
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
    await queue.enqueue(newLocalJob('stuck'));
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
    const job = newLocalJob('lost', { name: 'photos.zip', phase: 'zipping' });
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
      kind: 'local',
      name: 'photos.zip',
      phase: 'failed',
      error: { code: 'job-lost' },
    });
    expect(traces.size).toBe(0);
  });
});
