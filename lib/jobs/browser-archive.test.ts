import 'fake-indexeddb/auto';
import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ArchiveDestination, ArchiveSource, SourceEntry } from '../archive/types';
import { AppError } from '../errors';
import { createMemorySpool } from '../spool/testing/memory-spool';
import { runBrowserArchive } from './browser-archive';
import { createJobStore } from './store';
import { newBrowserJob } from './testing/browser-job';
import type { BrowserJob } from './types';

let counter = 0;
const encoder = new TextEncoder();

const FILES: Record<string, string> = {
  'docs/a.txt': 'alpha '.repeat(100),
  'docs/b.txt': 'bravo',
  'photo.jpg': 'not really a jpeg',
  'empty.txt': '',
};

function entries(): SourceEntry[] {
  return [
    { name: 'docs', kind: 'folder', size: 0, modified: Date.UTC(2024, 0, 1), ref: 'docs' },
    { name: 'docs/empty-folder', kind: 'folder', size: 0, modified: Date.UTC(2024, 0, 1), ref: 'docs/empty-folder' },
    ...Object.entries(FILES).map(([name, text]) => ({
      name,
      kind: 'file' as const,
      size: encoder.encode(text).byteLength,
      modified: Date.UTC(2024, 5, 1),
      ref: name,
    })),
  ];
}

function fakeSource(options: { failAt?: string; vanished?: string[] } = {}) {
  const opened: string[] = [];
  const source: ArchiveSource = {
    async *list() {
      yield* entries();
    },
    async open(entry) {
      opened.push(entry.ref);
      if (entry.ref === options.failAt) throw new AppError('network', 'connection reset');
      if (options.vanished?.includes(entry.ref)) return null;
      const bytes = encoder.encode(FILES[entry.ref]!);
      return new ReadableStream({
        start(controller) {
          if (bytes.byteLength) controller.enqueue(bytes);
          controller.close();
        },
      });
    },
  };
  return { source, opened };
}

function fakeDestination(existing: string[] = []) {
  const stored = new Map<string, Blob>();
  const destination: ArchiveDestination = {
    label: 'memory:/',
    async freeName(name) {
      let candidate = name;
      for (let n = 1; existing.includes(candidate) || stored.has(candidate); n++) {
        candidate = name.replace(/\.zip$/, ` (${n}).zip`);
      }
      return candidate;
    },
    async store(file, name) {
      stored.set(name, file);
      return { name, size: file.size };
    },
  };
  return { destination, stored };
}

function newJob(): BrowserJob {
  return newBrowserJob(`job-${counter++}`);
}

/** Runs `job` with a new store, a memory spool, the fake source and destination and a live signal, unless `parts` gives others. */
function runFresh(parts: Partial<Parameters<typeof runBrowserArchive>[1]> = {}, job = newJob()) {
  return runBrowserArchive(job, {
    store: createJobStore(`browser-${counter++}`),
    spool: createMemorySpool(),
    ...fakeSource(),
    ...fakeDestination(),
    signal: new AbortController().signal,
    ...parts,
  });
}

async function unzipBlob(blob: Blob) {
  return unzipSync(new Uint8Array(await blob.arrayBuffer()));
}

describe('browser archive job', () => {
  it('lists, zips and stores the selection without overwriting an existing name', async () => {
    const store = createJobStore(`browser-${counter++}`);
    const spool = createMemorySpool();
    const { source } = fakeSource();
    const { destination, stored } = fakeDestination(['out.zip']);
    const job = await runBrowserArchive(newJob(), {
      store,
      spool,
      source,
      destination,
      signal: new AbortController().signal,
    });

    expect(job.phase).toBe('done');
    expect(job.result).toMatchObject({ name: 'out (1).zip', location: 'memory:/' });
    const files = await unzipBlob(stored.get('out (1).zip')!);
    expect(Object.keys(files).sort()).toEqual(
      ['docs/', 'docs/a.txt', 'docs/b.txt', 'docs/empty-folder/', 'empty.txt', 'photo.jpg'].sort(),
    );
    expect(strFromU8(files['docs/a.txt']!)).toBe(FILES['docs/a.txt']);
    // Folders are entries of the zip but not files of "N of M files" (issue 13: "3261 of 3028 files").
    expect(job.progress).toMatchObject({ filesDone: 4, filesTotal: 4, skipped: 0 });
    // Finished jobs leave nothing behind.
    expect(spool.files.size).toBe(0);
    expect(await store.readCheckpoints(job.id)).toEqual([]);
  });

  it('resumes after a failure from its checkpoints instead of starting over', async () => {
    const store = createJobStore(`browser-${counter++}`);
    const spool = createMemorySpool();
    const failing = fakeSource({ failAt: 'photo.jpg' });
    const { destination, stored } = fakeDestination();
    const options = { store, spool, destination, signal: new AbortController().signal, segmentBytes: 1 };

    const failed = await runBrowserArchive(newJob(), { ...options, source: failing.source });
    expect(failed.phase).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'network', step: 'zipping' });
    expect(failed.entriesDone).toBe(4);

    const healthy = fakeSource();
    const done = await runBrowserArchive({ ...failed, phase: 'queued' }, { ...options, source: healthy.source });
    expect(done.phase).toBe('done');
    expect(done.progress).toMatchObject({ filesDone: 4, filesTotal: 4 });
    // Only the entries after the last checkpoint were read again.
    expect(healthy.opened).toEqual(['photo.jpg', 'empty.txt']);
    const files = await unzipBlob(stored.get('out.zip')!);
    expect(Object.keys(files)).toHaveLength(6);
    expect(strFromU8(files['docs/b.txt']!)).toBe('bravo');
  });

  it('skips and counts files that vanished since listing', async () => {
    const { source } = fakeSource({ vanished: ['docs/b.txt'] });
    const { destination, stored } = fakeDestination();
    const job = await runFresh({ source, destination });
    expect(job.phase).toBe('done');
    expect(job.progress.skipped).toBe(1);
    expect(Object.keys(await unzipBlob(stored.get('out.zip')!))).not.toContain('docs/b.txt');
  });

  it('is cancelled by its signal and cleans up', async () => {
    const store = createJobStore(`browser-${counter++}`);
    const spool = createMemorySpool();
    const controller = new AbortController();
    controller.abort();
    const job = await runBrowserArchive(newJob(), {
      store,
      spool,
      ...fakeSource(),
      ...fakeDestination(),
      signal: controller.signal,
    });
    expect(job.phase).toBe('cancelled');
    expect(spool.files.size).toBe(0);
  });

  it('refuses to start when browser storage cannot hold the archive', async () => {
    const job = await runFresh({ spool: createMemorySpool({ available: 1000 }) });
    expect(job.phase).toBe('failed');
    expect(job.error?.code).toBe('quota-exceeded');
  });
});

describe("browser archive job and the destination's size limit (issue 13 #7)", () => {
  /** A destination that takes no file over `limit` bytes, and says so when asked. */
  function limited(limit: number) {
    const { destination, stored } = fakeDestination();
    return { destination: { ...destination, maxFileSize: async () => limit }, stored };
  }

  it('refuses a store-only job before zipping when the files alone exceed the limit', async () => {
    const { source, opened } = fakeSource();
    const storeOnly = newBrowserJob(`job-${counter++}`, { compression: { mode: 'store', level: 0 } });
    const job = await runFresh({ source, ...limited(100) }, storeOnly);
    expect(job.error).toMatchObject({ code: 'archive-too-large', step: 'zipping' });
    expect(opened).toEqual([]);
  });

  it('stops zipping as soon as the archive passes the limit', async () => {
    const { destination, stored } = limited(700);
    const job = await runFresh({ destination, segmentBytes: 1 });
    expect(job.error).toMatchObject({ code: 'archive-too-large', step: 'zipping' });
    expect(stored.size).toBe(0);
  });
});

describe('browser archive job on a full disk (issue 13 #2)', () => {
  /** A memory spool whose writes fail, after `after` bytes, the way the browser's storage fails. */
  function failingSpool(error: () => Error, after = 0) {
    const spool = createMemorySpool();
    let written = 0;
    return {
      ...spool,
      async openSegment(name: string) {
        const segment = await spool.openSegment(name);
        return {
          ...segment,
          get size() {
            return segment.size;
          },
          async write(chunk: Uint8Array) {
            written += chunk.byteLength;
            if (written > after) throw error();
            await segment.write(chunk);
          },
        };
      },
    };
  }

  it.each([
    ['QuotaExceededError', 'The browser refused to store more data'],
    ['NotFoundError', 'vanished'],
    ['InvalidStateError', 'closed the job database'],
  ])('fails the job with "not enough free space" on %s, and keeps its record', async (name, says) => {
    const store = createJobStore(`browser-${counter++}`);
    const job = await runFresh({
      store,
      spool: failingSpool(() => new DOMException('write failed', name)),
      segmentBytes: 1,
    });
    expect(job.phase).toBe('failed');
    expect(job.error).toMatchObject({ code: 'quota-exceeded', step: 'zipping' });
    expect(job.error!.message).toContain(says);
    expect(await store.get(job.id)).toMatchObject({ phase: 'failed', error: { code: 'quota-exceeded' } });
  });
});

describe('browser archive job, upload resumed after a killed worker', () => {
  const never = new Promise<never>(() => {});

  async function killedWhileUploading() {
    const store = createJobStore(`browser-${counter++}`);
    const spool = createMemorySpool();
    const names: string[] = [];
    const dying: ArchiveDestination = {
      label: 'memory:/',
      async freeName(name) {
        names.push(name);
        return name;
      },
      async store(_file, _name, { onResumeState }) {
        await onResumeState!({ kind: 'test', sent: 3 });
        return never; // the worker dies here
      },
    };
    const job = newJob();
    void runBrowserArchive(job, {
      store,
      spool,
      ...fakeSource(),
      destination: dying,
      signal: new AbortController().signal,
    });
    let persisted: BrowserJob | undefined;
    for (let i = 0; i < 200 && !persisted?.upload?.resume; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      persisted = (await store.get(job.id)) as BrowserJob | undefined;
    }
    /** The next worker runs the job again from the record as persisted. */
    const rerun = (destination: ArchiveDestination, signal = new AbortController().signal) =>
      runBrowserArchive({ ...persisted!, phase: 'queued' }, { store, spool, ...fakeSource(), destination, signal });
    return { store, persisted: persisted!, names, rerun };
  }

  it('saves the chosen name and the destination state, and resumes the same upload to the same name', async () => {
    const { persisted, names, rerun } = await killedWhileUploading();
    expect(persisted.phase).toBe('uploading');
    expect(persisted.upload).toEqual({ name: 'out.zip', resume: { kind: 'test', sent: 3 } });

    // The name is taken now (by our own upload), yet it is not chosen again.
    const { destination, stored } = fakeDestination(['out.zip']);
    const seen: unknown[] = [];
    const resumed = await rerun({
      ...destination,
      freeName: async (name, signal) => (names.push(name), destination.freeName(name, signal)),
      store: (file, name, options) => (seen.push(options.resume), destination.store(file, name, options)),
    });
    expect(resumed.phase).toBe('done');
    expect(names).toEqual(['out.zip']);
    expect(seen).toEqual([{ kind: 'test', sent: 3 }]);
    expect([...stored.keys()]).toEqual(['out.zip']);
    expect(resumed.result).toMatchObject({ name: 'out.zip' });
  });

  it("chooses a new free name when the recorded one holds someone else's file", async () => {
    const { rerun } = await killedWhileUploading();
    const { destination, stored } = fakeDestination(['out.zip']);
    const resumed = await rerun({
      ...destination,
      store: async (file, name, options) => {
        if (name === 'out.zip') throw new AppError('destination-exists', 'not ours');
        expect(options.resume).toBeUndefined();
        return destination.store(file, name, options);
      },
    });
    expect(resumed.phase).toBe('done');
    expect([...stored.keys()]).toEqual(['out (1).zip']);
  });

  it('forgets the upload when cancelled, so a retry starts over', async () => {
    const { store, rerun } = await killedWhileUploading();
    const controller = new AbortController();
    controller.abort();
    const cancelled = await rerun(fakeDestination().destination, controller.signal);
    expect(cancelled.phase).toBe('cancelled');
    expect(((await store.get(cancelled.id)) as BrowserJob).upload).toBeUndefined();
  });
});
