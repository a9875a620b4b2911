import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../jobs/queue';
import type { JobStore } from '../jobs/store';
import type { BrowserJob } from '../jobs/types';
import type { ArchiveRequest } from '../messaging/payloads';
import type { ServerRegistry } from '../servers/registry';
import { createArchiveService } from './archive';
import type { Connections } from './connections';

const SIGNED_IN = { id: 'u1', email: 'admin@example.com', nickname: 'Admin' };

/** A finished preview of the request's sources, as the dialog's preview leaves it for the job. */
const WALKED = {
  entries: [
    { name: 'Photos/a.jpg', kind: 'file' as const, size: 100, modified: 0, ref: 'cloudreve://my/Photos/a.jpg' },
  ],
  unreadable: [],
  totals: { files: 1, folders: 0, bytes: 100, skipped: 0 },
};

/** The service with a Cloudreve server whose archive task must not be asked for: split jobs never reach it. */
function service() {
  const queued: BrowserJob[] = [];
  const archive = createArchiveService({
    previews: { take: () => WALKED, bytesOf: () => WALKED.totals.bytes },
    registry: {
      get: async (id: string) => ({ id, kind: 'cloudreve', account: SIGNED_IN }),
    } as unknown as ServerRegistry,
    connections: {
      cloudreve: async () => {
        throw new Error('the server route was taken');
      },
    } as unknown as Connections,
    store: { appendEntries: async () => undefined } as unknown as JobStore,
    queue: { enqueue: async (job: BrowserJob) => void queued.push(job) } as unknown as JobQueue,
    tasks: { follow: () => undefined, on: () => undefined },
    newId: () => `job-${queued.length}`,
  });
  return { archive, queued };
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

  it("lists the selection itself rather than taking the preview's listing, which has no part plan", async () => {
    const { archive, queued } = service();
    await archive.start(request({ mode: 'browser', split: 4 * 2 ** 30, previewId: 'p1' }));
    // Without a listing of its own the job would go straight to zipping with no plan and fail ("no part left").
    expect(queued[0]!.listed).toBeUndefined();
    // The same preview is taken by a job that is not split (no second walk).
    const plain = service();
    await plain.archive.start(request({ mode: 'browser', previewId: 'p1' }));
    expect(plain.queued[0]!.listed).toEqual(WALKED.totals);
  });

  it('refuses a part size that is not one', async () => {
    for (const split of [0, 1000, 1.5e6 + 0.5, Number.NaN, -1]) {
      await expect(service().archive.start(request({ split }))).rejects.toMatchObject({ code: 'invalid-split' });
    }
  });
});
