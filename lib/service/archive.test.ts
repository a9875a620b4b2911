import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../jobs/queue';
import type { JobStore } from '../jobs/store';
import type { BrowserJob } from '../jobs/types';
import type { ArchiveRequest } from '../messaging/payloads';
import type { ServerRegistry } from '../servers/registry';
import { createArchiveService } from './archive';
import type { Connections } from './connections';

const SIGNED_IN = { id: 'u1', email: 'admin@example.com', nickname: 'Admin' };

/** The service with a Cloudreve server whose archive task must not be asked for: split jobs never reach it. */
function service() {
  const queued: BrowserJob[] = [];
  const archive = createArchiveService({
    registry: {
      get: async (id: string) => ({ id, kind: 'cloudreve', account: SIGNED_IN }),
    } as unknown as ServerRegistry,
    connections: {
      cloudreve: async () => {
        throw new Error('the server route was taken');
      },
    } as unknown as Connections,
    store: {} as JobStore,
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

  it('refuses a part size that is not one', async () => {
    for (const split of [0, 1000, 1.5e6 + 0.5, Number.NaN, -1]) {
      await expect(service().archive.start(request({ split }))).rejects.toMatchObject({ code: 'invalid-split' });
    }
  });
});
