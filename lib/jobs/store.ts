/**
 * The job store: one IndexedDB database (idb), described once as a schema.
 * Transactions stay short (idb "Transaction lifetime"): callers read, do their
 * I/O outside, then write the result; nothing awaits a fetch or a stream inside.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SourceEntry } from '../archive/types';
import type { Job } from './types';

import type { EntryCheckpoint } from '../zip/writer';

interface JobsDB extends DBSchema {
  jobs: { key: string; value: Job; indexes: { 'by-created': number } };
  /** The listing of a browser job, in archive order. */
  entries: { key: [string, number]; value: { jobId: string; index: number; entry: SourceEntry } };
  /** One per finished entry; `checkpoint` null for a skipped (vanished) file. */
  checkpoints: {
    key: [string, number];
    value: { jobId: string; index: number; checkpoint: EntryCheckpoint | null };
  };
}

export type JobStore = ReturnType<typeof createJobStore>;

/**
 * How a transaction fails on a connection the browser closed by force (IndexedDB 3.0 "close a database
 * connection": its transactions abort with AbortError) or whose backing store broke (UnknownError).
 */
const BROKEN_CONNECTION = new Set(['AbortError', 'InvalidStateError', 'UnknownError']);

const range = (jobId: string, from = 0) => IDBKeyRange.bound([jobId, from], [jobId, Number.MAX_SAFE_INTEGER]);

/** Opens (or creates) the database; one store per extension profile. */
export function createJobStore(name = 'cloudreve-archiver') {
  let opened: Promise<IDBPDatabase<JobsDB>> | undefined;
  const db = () =>
    (opened ??= openDB<JobsDB>(name, 2, {
      // The browser closed the connection (storage cleared, disk full: IndexedDB 3.0 §4.1 forced
      // close): the next call opens the database again instead of failing forever.
      terminated() {
        opened = undefined;
      },
      async upgrade(database, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          database.createObjectStore('jobs', { keyPath: 'id' }).createIndex('by-created', 'createdAt');
          database.createObjectStore('entries', { keyPath: ['jobId', 'index'] });
          database.createObjectStore('checkpoints', { keyPath: ['jobId', 'index'] });
        }
        // Version 1 called browser jobs `kind: 'local'`; rewritten once, so a job that was
        // running before the update resumes as a browser job (its entries and checkpoints stay).
        for (let cursor = await tx.objectStore('jobs').openCursor(); cursor; cursor = await cursor.continue()) {
          if ((cursor.value.kind as string) === 'local')
            await cursor.update({ ...cursor.value, kind: 'browser' } as Job);
        }
      },
    }));

  /**
   * Runs `use` on the open connection. When the browser wiped the origin's storage under a full disk
   * (docs/browser-platform.md#a-full-disk-under-the-profile) every transaction of the old connection
   * aborts and no `close` event may follow: the connection is dropped, so the next call opens the
   * database anew (an empty one, where the failed job's record can be saved again).
   */
  async function withDb<T>(use: (database: IDBPDatabase<JobsDB>) => Promise<T>): Promise<T> {
    const current = db();
    const database = await current;
    try {
      return await use(database);
    } catch (error) {
      if (error instanceof DOMException && BROKEN_CONNECTION.has(error.name) && opened === current) {
        opened = undefined;
        database.close();
      }
      throw error;
    }
  }

  return {
    async get(id: string): Promise<Job | undefined> {
      return withDb((database) => database.get('jobs', id));
    },
    async put(job: Job): Promise<void> {
      await withDb((database) => database.put('jobs', job));
    },
    /** Updates some fields of a stored job in one transaction (never resurrects a deleted one). */
    async patch(id: string, fields: Partial<Pick<Job, 'updatedAt'>> & { progress?: unknown }): Promise<void> {
      await withDb(async (database) => {
        const tx = database.transaction('jobs', 'readwrite');
        const current = await tx.store.get(id);
        if (current) await tx.store.put({ ...current, ...fields } as Job);
        await tx.done;
      });
    },
    /** Newest first. */
    async list(): Promise<Job[]> {
      return withDb(async (database) => (await database.getAllFromIndex('jobs', 'by-created')).reverse());
    },
    async appendEntries(jobId: string, from: number, entries: SourceEntry[]): Promise<void> {
      await withDb(async (database) => {
        const tx = database.transaction('entries', 'readwrite');
        await Promise.all([...entries.map((entry, i) => tx.store.put({ jobId, index: from + i, entry })), tx.done]);
      });
    },
    async readEntries(jobId: string, from: number, count: number): Promise<SourceEntry[]> {
      const rows = await withDb((database) => database.getAll('entries', range(jobId, from), count));
      return rows.map((row) => row.entry);
    },
    async readCheckpoints(jobId: string): Promise<(EntryCheckpoint | null)[]> {
      const rows = await withDb((database) => database.getAll('checkpoints', range(jobId)));
      return rows.map((row) => row.checkpoint);
    },
    /** Commits finished entries and the job record together, so they never disagree after a crash. */
    async commitCheckpoints(job: Job, from: number, checkpoints: (EntryCheckpoint | null)[]): Promise<void> {
      await withDb(async (database) => {
        const tx = database.transaction(['jobs', 'checkpoints'], 'readwrite');
        const store = tx.objectStore('checkpoints');
        await Promise.all([
          ...checkpoints.map((checkpoint, i) => store.put({ jobId: job.id, index: from + i, checkpoint })),
          tx.objectStore('jobs').put(job),
          tx.done,
        ]);
      });
    },
    /** Forgets a job's listing and checkpoints (after it ended, or before a fresh retry). */
    async clearJobData(jobId: string): Promise<void> {
      await withDb(async (database) => {
        const tx = database.transaction(['entries', 'checkpoints'], 'readwrite');
        await Promise.all([
          tx.objectStore('entries').delete(range(jobId)),
          tx.objectStore('checkpoints').delete(range(jobId)),
          tx.done,
        ]);
      });
    },
    async delete(jobId: string): Promise<void> {
      await this.clearJobData(jobId);
      await withDb((database) => database.delete('jobs', jobId));
    },
  };
}
