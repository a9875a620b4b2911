/**
 * Connected servers, kept in `storage.local` (extension-only storage: no page
 * can read it). Updates are serialized so concurrent token refreshes and page
 * reports never lose each other's writes.
 */
import { storage } from '#imports';
import { AppError } from '../errors';
import type { ServerRecord } from './types';

const serversItem = storage.defineItem<ServerRecord[]>('local:servers', { fallback: [] });

export type ServerRegistry = ReturnType<typeof createServerRegistry>;

export function createServerRegistry() {
  let queue: Promise<unknown> = Promise.resolve();
  /** Runs `change` after every earlier change has finished. */
  function serialized<T>(change: () => Promise<T>): Promise<T> {
    const next = queue.then(change, change);
    queue = next.catch(() => undefined);
    return next;
  }

  async function get(id: string): Promise<ServerRecord> {
    const found = (await serversItem.getValue()).find((server) => server.id === id);
    if (!found) throw new AppError('not-found', `No connected server ${id}`);
    return found;
  }

  return {
    list: () => serversItem.getValue(),
    get,
    async findByOrigin(origin: string): Promise<ServerRecord[]> {
      return (await serversItem.getValue()).filter((server) => server.origin === origin);
    },
    add(record: ServerRecord): Promise<void> {
      return serialized(async () => {
        await serversItem.setValue([...(await serversItem.getValue()), record]);
      });
    },
    update(id: string, patch: (record: ServerRecord) => Partial<ServerRecord>): Promise<ServerRecord> {
      return serialized(async () => {
        const servers = await serversItem.getValue();
        const index = servers.findIndex((server) => server.id === id);
        if (index < 0) throw new AppError('not-found', `No connected server ${id}`);
        const updated = { ...servers[index]!, ...patch(servers[index]!) };
        servers[index] = updated;
        await serversItem.setValue(servers);
        return updated;
      });
    },
    remove(id: string): Promise<void> {
      return serialized(async () => {
        await serversItem.setValue((await serversItem.getValue()).filter((server) => server.id !== id));
      });
    },
    watch(callback: (servers: ServerRecord[]) => void): () => void {
      return serversItem.watch((servers) => callback(servers ?? []));
    },
  };
}
