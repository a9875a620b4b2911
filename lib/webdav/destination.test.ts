import { describe, expect, it } from 'vitest';
import type { ResumeState } from '../archive/types';
import { WebDavError } from '../errors';
import type { DavResource } from './client';
import { numberedName, splitNumberedName } from '../archive/free-name';
import { createDavDestination } from './destination';

/** An in-memory stand-in for the client's write operations, with hooks to misbehave. */
function memoryClient(
  initial: string[],
  hooks: { put?: (path: string, body: Blob) => void; movedSize?: number; raceOn?: string } = {},
) {
  const files = new Map<string, number>(initial.map((p) => [p, 1]));
  const calls: string[] = [];
  const client = {
    url: (path: string, collection = false) => `https://dav.test/${path}${collection ? '/' : ''}`,
    async stat(path: string): Promise<DavResource | null> {
      calls.push(`stat ${path}`);
      const size = files.get(path);
      return size === undefined ? null : { path, name: path.split('/').pop()!, isCollection: false, size, modified: 0 };
    },
    async put(path: string, body: Blob): Promise<void> {
      calls.push(`put ${path}`);
      hooks.put?.(path, body);
      files.set(path, hooks.movedSize ?? body.size);
    },
    async move(from: string, to: string): Promise<boolean> {
      calls.push(`move ${from} → ${to}`);
      // Someone else creates the target between our check and our MOVE.
      if (to === hooks.raceOn && !files.has(to)) files.set(to, 99);
      if (files.has(to)) return false;
      files.set(to, files.get(from)!);
      files.delete(from);
      return true;
    },
    async remove(path: string): Promise<void> {
      calls.push(`remove ${path}`);
      files.delete(path);
    },
  };
  return { client, files, calls };
}

const signal = new AbortController().signal;
const temp = (path: string) => /\.part-[0-9a-f]{12}$/.test(path);

describe('numberedName', () => {
  it.each([
    ['a.zip', 1, 'a (1).zip'],
    ['a.zip', 0, 'a.zip'],
    ['archive.tar.gz', 2, 'archive.tar (2).gz'],
    ['noext', 3, 'noext (3)'],
    ['.zip', 1, '.zip (1)'],
  ])('%s #%i → %s', (name, n, expected) => expect(numberedName(name, n)).toBe(expected));
});

describe('splitNumberedName', () => {
  it.each([
    ['a (1).zip', 'a.zip', 1],
    ['Report (2023).zip', 'Report.zip', 2023],
    ['noext (3)', 'noext', 3],
    ['a.zip', 'a.zip', 0],
    ['(1).zip', '(1).zip', 0],
  ])('%s → %s #%i', (name, base, n) => {
    expect(splitNumberedName(name)).toEqual({ base, n });
    if (n > 0) expect(numberedName(base, n)).toBe(name);
  });
});

describe('createDavDestination', () => {
  it('finds the first free name', async () => {
    const { client } = memoryClient(['Out/a.zip', 'Out/a (1).zip']);
    const destination = createDavDestination({ client, folder: 'Out' });
    expect(await destination.freeName('a.zip', signal)).toBe('a (2).zip');
    expect(await destination.freeName('b.zip', signal)).toBe('b.zip');
    expect(destination.label).toBe('https://dav.test/Out/');
  });

  it('PUTs to a dot temp name, checks the size, MOVEs, and reports progress', async () => {
    const { client, files, calls } = memoryClient([]);
    const progress: number[] = [];
    const destination = createDavDestination({ client, folder: 'Out' });
    const result = await destination.store(new Blob(['12345']), 'a.zip', {
      signal,
      onProgress: (p) => progress.push(p.sent),
    });
    expect(result).toEqual({ name: 'a.zip', size: 5 });
    expect([...files.keys()]).toEqual(['Out/a.zip']);
    expect(calls[0]).toMatch(/^put Out\/\.a\.zip\.part-[0-9a-f]{12}$/);
    expect(calls[1]).toMatch(/^stat Out\/\.a\.zip\.part-/);
    expect(calls[2]).toMatch(/^move Out\/\.a\.zip\.part-\w+ → Out\/a\.zip$/);
    expect(progress).toEqual([0, 5]);
  });

  it('falls back to a name without a leading dot when the server refuses it (Cloudreve disable_sys_files)', async () => {
    const { client, files, calls } = memoryClient([], {
      put: (path) => {
        if (path.split('/').pop()!.startsWith('.')) throw new WebDavError('webdav', 405, 'no dot files');
      },
    });
    const result = await createDavDestination({ client, folder: '' }).store(new Blob(['x']), 'a.zip', { signal });
    expect(result.name).toBe('a.zip');
    // An empty file under the dot name is refused too: it is the name, not the bytes.
    expect(calls[1]).toMatch(/^put \.a\.zip\.part-[0-9a-f]{12}$/);
    expect(calls[2]).toMatch(/^put a\.zip\.part-[0-9a-f]{12}$/);
    expect([...files.keys()]).toEqual(['a.zip']);
  });

  it('deletes the temporary file of a cancelled PUT after the server has finished writing it (issue 13 #5)', async () => {
    const { client, files } = memoryClient([]);
    const controller = new AbortController();
    let written: Promise<void> | undefined;
    // Like rclone: the PUT is aborted on our side, the server goes on and the file appears later.
    client.put = async (path: string, body: Blob) => {
      written = new Promise((resolve) =>
        setTimeout(() => {
          files.set(path, body.size);
          resolve();
        }, 300),
      );
      controller.abort();
      throw new DOMException('aborted', 'AbortError');
    };
    const destination = createDavDestination({ client, folder: 'Out', settleChecksMs: [100, 400] });
    const store = destination.store(new Blob(['12345']), 'a.zip', { signal: controller.signal });
    await expect(store).rejects.toMatchObject({ name: 'AbortError' });
    await written;
    expect([...files.keys()].filter(temp)).toEqual([]);
  });

  it("takes rclone's 405 for a full disk for what it is: no second upload under a visible name (issue 13 #7)", async () => {
    const { client, files, calls } = memoryClient([], {
      put: (_path, body) => {
        if (body.size > 0) throw new WebDavError('webdav', 405, 'Method Not Allowed');
      },
    });
    const store = createDavDestination({ client, folder: '' }).store(new Blob(['xyz']), 'a.zip', { signal });
    await expect(store).rejects.toMatchObject({ code: 'insufficient-storage' });
    expect(calls.filter((call) => /^put a\.zip/.test(call))).toEqual([]);
    expect([...files.keys()]).toEqual([]);
  });

  it('takes the next free name when the target appears between check and MOVE', async () => {
    const { client, files } = memoryClient(['Out/a.zip'], { raceOn: 'Out/a (1).zip' });
    const destination = createDavDestination({ client, folder: 'Out' });
    const name = await destination.freeName('a.zip', signal);
    const result = await destination.store(new Blob(['x']), name, { signal });
    expect(result.name).toBe('a (2).zip');
    expect(files.get('Out/a (1).zip')).toBe(99);
    expect([...files.keys()].filter(temp)).toEqual([]);
  });

  it('deletes the temporary file when the stored size is wrong', async () => {
    const { client, files } = memoryClient([], { movedSize: 3 });
    const store = createDavDestination({ client, folder: 'Out' }).store(new Blob(['12345']), 'a.zip', { signal });
    await expect(store).rejects.toMatchObject({ code: 'size-mismatch' });
    expect([...files.keys()]).toEqual([]);
  });

  it('deletes the temporary file on abort and passes write errors through', async () => {
    const controller = new AbortController();
    const { client, files, calls } = memoryClient([], {
      put: () => {
        controller.abort();
        throw new DOMException('aborted', 'AbortError');
      },
    });
    const store = createDavDestination({ client, folder: 'Out', settleChecksMs: [0] }).store(new Blob(['x']), 'a.zip', {
      signal: controller.signal,
    });
    await expect(store).rejects.toMatchObject({ name: 'AbortError' });
    // Deleted, then looked for once more (a cut-off PUT may still be written by the server).
    expect(calls.slice(-2)[0]).toMatch(/^remove Out\/\.a\.zip\.part-/);
    expect(calls.at(-1)).toMatch(/^stat Out\/\.a\.zip\.part-/);
    expect(files.size).toBe(0);

    const readOnly = memoryClient([], {
      put: () => {
        throw new WebDavError('read-only', 403, 'read-only');
      },
    });
    const refused = createDavDestination({ client: readOnly.client, folder: '' }).store(new Blob(['x']), 'a.zip', {
      signal,
    });
    await expect(refused).rejects.toMatchObject({ code: 'read-only' });
  });
});

describe('createDavDestination, resumed after a killed worker', () => {
  const five = () => new Blob(['12345']);
  const puts = (calls: string[]) => calls.filter((call) => call.startsWith('put '));
  const moves = (calls: string[]) => calls.filter((call) => call.startsWith('move '));
  const TEMP = '.a.zip.part-000000000000';
  /** Stores five bytes as Out/a.zip, resuming what an earlier run recorded. */
  const resumeStore = (client: ReturnType<typeof memoryClient>['client'], recorded: { movingTo?: string }) =>
    createDavDestination({ client, folder: 'Out' }).store(five(), 'a.zip', {
      signal,
      resume: { kind: 'webdav', size: 5, temp: TEMP, ...recorded },
    });

  it('records the temporary name before the PUT and the final name before the MOVE', async () => {
    const { client } = memoryClient([]);
    const states: ResumeState[] = [];
    await createDavDestination({ client, folder: 'Out' }).store(five(), 'a.zip', {
      signal,
      onResumeState: async (state) => void states.push(state),
    });
    expect(states).toEqual([
      { kind: 'webdav', size: 5, temp: expect.stringMatching(/^\.a\.zip\.part-[0-9a-f]{12}$/) },
      { kind: 'webdav', size: 5, temp: states[0]!.temp, movingTo: 'a.zip' },
    ]);
  });

  it('deletes the stale temporary file of a PUT cut short, then uploads again', async () => {
    const { client, files, calls } = memoryClient([]);
    files.set(`Out/${TEMP}`, 3);
    const result = await resumeStore(client, {});
    expect(result).toEqual({ name: 'a.zip', size: 5 });
    expect(calls[0]).toBe('remove Out/.a.zip.part-000000000000');
    expect(puts(calls)).toHaveLength(1);
    expect([...files.keys()]).toEqual(['Out/a.zip']);
  });

  it('takes the file for ours when the recorded MOVE happened (temporary file gone, our size at the name)', async () => {
    const { client, files, calls } = memoryClient([]);
    files.set('Out/a.zip', 5);
    const result = await resumeStore(client, { movingTo: 'a.zip' });
    expect(result).toEqual({ name: 'a.zip', size: 5 });
    expect(puts(calls)).toEqual([]);
    expect(moves(calls)).toEqual([]);
    expect([...files.keys()]).toEqual(['Out/a.zip']);
  });

  it('sends the recorded MOVE when it had not happened yet, without uploading again', async () => {
    const { client, files, calls } = memoryClient([]);
    files.set(`Out/${TEMP}`, 5);
    const result = await resumeStore(client, { movingTo: 'a.zip' });
    expect(result).toEqual({ name: 'a.zip', size: 5 });
    expect(puts(calls)).toEqual([]);
    expect([...files.keys()]).toEqual(['Out/a.zip']);
  });

  it("never takes a same-size file for ours without a recorded MOVE: it is someone else's, the next name is used", async () => {
    const { client, files } = memoryClient([]);
    files.set('Out/a.zip', 5);
    const result = await resumeStore(client, {});
    expect(result).toEqual({ name: 'a (1).zip', size: 5 });
    expect([...files.keys()].sort()).toEqual(['Out/a (1).zip', 'Out/a.zip']);
  });

  it('with a recorded MOVE but our temporary file still there, a same-size file at the name is not ours', async () => {
    const { client, files } = memoryClient([]);
    files.set('Out/a.zip', 5);
    files.set(`Out/${TEMP}`, 5);
    const result = await resumeStore(client, { movingTo: 'a.zip' });
    expect(result.name).toBe('a (1).zip');
    expect([...files.keys()].filter(temp)).toEqual([]);
  });
});

describe('discarding an interrupted upload', () => {
  it('removes only the recorded temporary file', async () => {
    const { client, files, calls } = memoryClient(['Docs/a.zip', 'Docs/.a.zip.part-0a1b2c3d4e5f']);
    const destination = createDavDestination({ client, folder: 'Docs' });
    await destination.discard!({ kind: 'webdav', size: 1, temp: '.a.zip.part-0a1b2c3d4e5f' }, signal);
    // Deleted, then checked to be gone.
    expect(calls).toEqual(['remove Docs/.a.zip.part-0a1b2c3d4e5f', 'stat Docs/.a.zip.part-0a1b2c3d4e5f']);
    expect([...files.keys()]).toEqual(['Docs/a.zip']);
  });

  it("ignores another destination's state", async () => {
    const { client, calls } = memoryClient([]);
    await createDavDestination({ client, folder: 'Docs' }).discard!({ kind: 'cloudreve', uri: 'x' }, signal);
    expect(calls).toEqual([]);
  });
});
