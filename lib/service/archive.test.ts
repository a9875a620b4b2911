import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../jobs/queue';
import type { JobStore } from '../jobs/store';
import type { BrowserJob } from '../jobs/types';
import type { ArchiveRequest } from '../messaging/payloads';
import type { SourceEntry } from '../archive/types';
import type { ServerRegistry } from '../servers/registry';
import { createArchiveService } from './archive';
import type { Connections } from './connections';

const SIGNED_IN = { id: 'u1', email: 'admin@example.com', nickname: 'Admin' };

/** The service with a Cloudreve server whose archive task must not be asked for: split jobs never reach it. */
function service(walked?: SourceEntry[]) {
  const queued: BrowserJob[] = [];
  const stored: SourceEntry[] = [];
  const archive = createArchiveService({
    registry: {
      get: async (id: string) => ({ id, kind: 'cloudreve', account: SIGNED_IN }),
    } as unknown as ServerRegistry,
    connections: {
      cloudreve: async () => {
        throw new Error('the server route was taken');
      },
    } as unknown as Connections,
    store: {
      appendEntries: async (_id: string, _from: number, entries: SourceEntry[]) => void stored.push(...entries),
    } as unknown as JobStore,
    // The dialog's finished preview of the sources (lib/service/previews.ts `take`).
    previews: {
      take: () =>
        walked && {
          entries: walked,
          unreadable: [],
          totals: { files: walked.length, folders: 0, bytes: 0, skipped: 0 },
        },
      bytesOf: () => undefined,
    },
    queue: { enqueue: async (job: BrowserJob) => void queued.push(job) } as unknown as JobQueue,
    tasks: { follow: () => undefined, on: () => undefined },
    newId: () => `job-${queued.length}`,
  });
  return { archive, queued, stored };
}

const request = (patch: Partial<ArchiveRequest>): ArchiveRequest => ({
  serverId: 's',
  sources: ['cloudreve://my/Photos'],
  name: 'Photos.zip',
  destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
  mode: 'auto',
  ...patch,
});

describe('a split archive request', () => {
  it('runs in the browser, saying why, in Auto and On the server', async () => {
    for (const mode of ['auto', 'server'] as const) {
      const { archive, queued } = service();
      const started = await archive.start(request({ mode, split: 4 * 2 ** 30 }));
      expect(started.kind).toBe('browser');
      expect(queued[0]!.split).toEqual({ partBytes: 4 * 2 ** 30 });
      expect(queued[0]!.fallbackReason?.code).toBe('split-in-browser');
      // The code goes back with it, so the page words it as a fact, not as the server's refusal.
      expect(started.fallbackCode).toBe('split-in-browser');
    }
  });

  it('in the browser mode needs no reason; the destination limit is kept as asked', async () => {
    const { archive, queued } = service();
    await archive.start(request({ mode: 'browser', split: 'destination-limit' }));
    expect(queued[0]!.split).toEqual({ partBytes: 'destination-limit' });
    expect(queued[0]!.fallbackReason).toBeUndefined();
  });

  it("belongs to the signed-in account, like every other job (else the worker refuses to start it: 'unknown account')", async () => {
    for (const mode of ['auto', 'server', 'browser'] as const) {
      const { archive, queued } = service();
      await archive.start(request({ mode, split: 4 * 2 ** 30 }));
      expect(queued[0]!.account).toEqual({ id: 'u1', email: 'admin@example.com' });
    }
  });

  it("plans its parts from the preview's listing it takes (the engine, not listing, would have none)", async () => {
    const file = (name: string) => ({ name, kind: 'file' as const, size: 40_000, modified: 0, ref: name });
    const walked = [file('a.jpg'), file('b.jpg'), file('c.jpg')];
    const { archive, queued, stored } = service(walked);
    await archive.start(request({ mode: 'browser', split: 65_536, previewId: 'p' }));
    expect(stored).toEqual(walked);
    expect(queued[0]!.listed?.files).toBe(3);
    expect(queued[0]!.split?.plan?.map((part) => [part.first, part.count])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    // Parts as large as the destination takes: the engine lists, then asks the destination.
    const limit = service(walked);
    await limit.archive.start(request({ mode: 'browser', split: 'destination-limit', previewId: 'p' }));
    expect(limit.stored).toEqual([]);
    expect(limit.queued[0]!.split).toEqual({ partBytes: 'destination-limit' });
  });

  it('refuses a part size that is not one', async () => {
    for (const split of [0, 1000, 1.5e6 + 0.5, Number.NaN, -1]) {
      await expect(service().archive.start(request({ split }))).rejects.toMatchObject({ code: 'invalid-split' });
    }
  });
});
