import 'fake-indexeddb/auto';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { changedError } from '../archive/file-version';
import type { ArchiveDestination, ArchiveSource, SourceEntry } from '../archive/types';
import { AppError, WebDavError } from '../errors';
import { createMemorySpool } from '../spool/testing/memory-spool';
import { runBrowserArchive } from './browser-archive';
import { createJobStore } from './store';
import { newBrowserJob } from './testing/browser-job';
import type { BrowserJob } from './types';

let counter = 0;
const MiB = 1024 * 1024;

/** Bytes of `size` that differ per `version`, so a mix of two versions is visible. */
function content(size: number, version: number): Uint8Array {
  return new Uint8Array(size).map((_, i) => (i * 31 + version * 17) % 251);
}

function file(name: string, size: number): SourceEntry {
  return { name, kind: 'file', size, modified: Date.UTC(2024, 0, 1), ref: name };
}
const folder = (name: string): SourceEntry => ({ name, kind: 'folder', size: 0, modified: 0, ref: name });

/**
 * How the fake server answers one open of a file, by how many times it was opened:
 * its bytes, an error before any byte, or some bytes and then an error.
 */
type Answer =
  | Uint8Array
  | null
  | { error: Error; bytes?: undefined; breakAfter?: undefined }
  | { bytes: Uint8Array; breakAfter: number; error: Error };

function fakeSource(
  listing: SourceEntry[],
  answers: Record<string, (open: number, entry: SourceEntry) => Answer>,
  unlistable: Record<string, Error> = {},
) {
  const opens = new Map<string, number>();
  const source: ArchiveSource = {
    async *list(_signal, onUnreadable) {
      for (const entry of listing) {
        const failure = unlistable[entry.name];
        if (failure) {
          if (!onUnreadable) throw failure;
          onUnreadable({ path: entry.name, kind: 'folder', code: 'webdav', reason: failure.message });
          continue;
        }
        if (Object.keys(unlistable).some((path) => entry.name.startsWith(`${path}/`))) continue;
        yield entry;
      }
    },
    async open(entry) {
      const count = (opens.get(entry.ref) ?? 0) + 1;
      opens.set(entry.ref, count);
      const scripted = answers[entry.ref];
      const answer = scripted ? scripted(count, entry) : content(entry.size, 1);
      if (answer === null) return null;
      if (answer instanceof Uint8Array) return streamOf(answer);
      if (!answer.bytes) throw answer.error;
      return streamOf(answer.bytes.subarray(0, answer.breakAfter), answer.error);
    },
  };
  return { source, opens };
}

/** A pull-based body of `bytes` that errors with `failure` after them, if given. */
function streamOf(bytes: Uint8Array, failure?: Error): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes.length) return failure ? controller.error(failure) : controller.close();
      const chunk = bytes.slice(sent, sent + 256 * 1024);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

function memoryDestination() {
  const stored = new Map<string, Blob>();
  const destination: ArchiveDestination = {
    label: 'memory:/',
    freeName: async (name) => name,
    async store(blob, name) {
      stored.set(name, blob);
      return { name, size: blob.size };
    },
  };
  return { destination, stored };
}

async function run(source: ArchiveSource, patch: Partial<BrowserJob> = {}) {
  const { destination, stored } = memoryDestination();
  const job = await runBrowserArchive(newBrowserJob(`unreadable-${counter++}`, patch), {
    store: createJobStore(`unreadable-${counter++}`),
    spool: createMemorySpool(),
    source,
    destination,
    signal: new AbortController().signal,
    // Checkpoints after every entry, so a rewind has something to go back to.
    segmentBytes: 1,
  });
  const blob = stored.get(job.result?.name ?? '');
  const files = blob ? unzipSync(new Uint8Array(await blob.arrayBuffer())) : {};
  return { job, files };
}

/** Byte equality without a diff of millions of elements when it fails. */
const same = (a: Uint8Array | undefined, b: Uint8Array) => !!a && Buffer.from(a).equals(Buffer.from(b));

const http400 = () => new WebDavError('webdav', 400, 'WebDAV GET answered HTTP 400');

describe('a file or folder that cannot be read', () => {
  it('is skipped and named, and everything else is archived', async () => {
    const { source } = fakeSource([folder('d'), file('d/a.txt', 10), file('d/tab\tname.txt', 5), file('d/z.txt', 7)], {
      'd/tab\tname.txt': () => ({ error: http400() }),
    });
    const { job, files } = await run(source);
    expect(job.phase).toBe('done');
    expect(Object.keys(files)).toEqual(['d/', 'd/a.txt', 'd/z.txt']);
    expect(job.progress.skipped).toBe(1);
    expect(job.unreadable).toEqual([
      { path: 'd/tab\tname.txt', kind: 'file', code: 'webdav', reason: 'WebDAV GET answered HTTP 400' },
    ]);
  });

  it('is taken out again when it fails after its first bytes went into the archive', async () => {
    // Stored (.jpg) and over the read-ahead size: it streams through the writer.
    const big = 6 * MiB;
    const { source } = fakeSource([file('a.txt', 10), file('big.jpg', big), file('z.txt', 7)], {
      'big.jpg': () => ({ bytes: content(big, 1), breakAfter: 3 * MiB, error: http400() }),
    });
    const { job, files } = await run(source, { compression: { mode: 'auto', level: 6 } });
    expect(job.phase).toBe('done');
    expect(Object.keys(files)).toEqual(['a.txt', 'z.txt']);
    expect(job.unreadable?.map((item) => item.path)).toEqual(['big.jpg']);
  });

  it('leaves out a folder that cannot be listed and names it', async () => {
    const { source } = fakeSource(
      [folder('d'), folder('d/locked'), file('d/locked/x.txt', 3), file('d/b.txt', 4)],
      {},
      { 'd/locked': new WebDavError('webdav', 403, 'WebDAV PROPFIND answered HTTP 403') },
    );
    const { job, files } = await run(source);
    expect(job.phase).toBe('done');
    expect(Object.keys(files)).toEqual(['d/', 'd/b.txt']);
    expect(job.unreadable).toMatchObject([{ path: 'd/locked', kind: 'folder' }]);
    expect(job.progress.skipped).toBe(1);
  });

  it('names a file that vanished since the listing', async () => {
    const { source } = fakeSource([file('a.txt', 3), file('gone.txt', 3)], { 'gone.txt': () => null });
    const { job } = await run(source);
    expect(job.phase).toBe('done');
    expect(job.unreadable).toMatchObject([{ path: 'gone.txt', code: 'not-found' }]);
  });

  it('stops the job at the first one when the user asked for all or nothing', async () => {
    const { source } = fakeSource([file('a.txt', 3), file('bad.txt', 3), file('z.txt', 3)], {
      'bad.txt': () => ({ error: http400() }),
    });
    const { job } = await run(source, { stopOnUnreadable: true });
    expect(job.phase).toBe('failed');
    expect(job.error).toMatchObject({ code: 'unreadable', message: expect.stringContaining('bad.txt') });
  });

  it('still fails the job when the server itself is unreachable', async () => {
    const { source } = fakeSource([file('a.txt', 3)], {
      'a.txt': () => ({ error: new AppError('network', 'connection refused') }),
    });
    const { job } = await run(source);
    expect(job.phase).toBe('failed');
    expect(job.error?.code).toBe('network');
  });
});

describe('a file that changes while it is read', () => {
  it('is read again from its start when it changed since the listing', async () => {
    const { source } = fakeSource([file('log.txt', 100)], {
      'log.txt': (open, entry) =>
        entry.size === 100 ? { error: changedError(entry, 'listed with 100 bytes, now 150', 150) } : content(150, 2),
    });
    const { job, files } = await run(source);
    expect(job.phase).toBe('done');
    expect(files['log.txt']).toEqual(content(150, 2));
    expect(job.unreadable).toEqual([]);
  });

  it('is rewound and read again whole when it changes after its first bytes were archived', async () => {
    const size = 6 * MiB;
    const { source, opens } = fakeSource([file('a.txt', 3), file('grow.jpg', size), file('z.txt', 3)], {
      'grow.jpg': (open, entry) =>
        open === 1
          ? {
              bytes: content(size, 1),
              breakAfter: 2 * MiB,
              error: changedError(entry, `${size} bytes when reading began, now ${size + MiB}`, size + MiB),
            }
          : entry.size === size
            ? { error: changedError(entry, `listed with ${size} bytes, now ${size + MiB}`, size + MiB) }
            : content(size + MiB, 2),
    });
    const { job, files } = await run(source);
    expect(job.phase).toBe('done');
    expect(Object.keys(files)).toEqual(['a.txt', 'grow.jpg', 'z.txt']);
    // Only the new version, never a mix.
    expect(same(files['grow.jpg'], content(size + MiB, 2))).toBe(true);
    expect(opens.get('grow.jpg')).toBe(3);
  });

  it('is skipped as "changed while being archived" when it keeps changing', async () => {
    const size = 6 * MiB;
    const { source } = fakeSource([file('busy.jpg', size), file('z.txt', 3)], {
      'busy.jpg': (open, entry) => ({
        bytes: content(size, open),
        breakAfter: MiB,
        error: changedError(entry, 'its version on the server is new'),
      }),
    });
    const { job, files } = await run(source);
    expect(job.phase).toBe('done');
    expect(Object.keys(files)).toEqual(['z.txt']);
    expect(job.unreadable).toMatchObject([
      { path: 'busy.jpg', code: 'source-changed', reason: expect.stringContaining('changed while being archived') },
    ]);
  });
});

describe('names the safety rules changed', () => {
  it('are kept with the job, with why', async () => {
    const { source } = fakeSource(
      [file('d/back\\slash.txt', 3), file('d/back_slash.txt', 3), file('d/Tab\there', 3)],
      {},
    );
    const { job, files } = await run(source);
    expect(Object.keys(files)).toEqual(['d/back_slash.txt', 'd/back_slash (1).txt', 'd/Tab\there']);
    expect(job.renamed).toEqual([
      { path: 'd/back\\slash.txt', name: 'd/back_slash.txt', reasons: ['backslash'] },
      { path: 'd/back_slash.txt', name: 'd/back_slash (1).txt', reasons: ['duplicate'] },
    ]);
    expect(job.renamedCount).toBe(2);
  });
});
