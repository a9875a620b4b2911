/**
 * Connected servers. The records (origin, label, account, permissions) live in
 * `storage.local`; their secrets (token pairs, WebDAV passwords) live apart, in
 * the background's own IndexedDB (`secret-store.ts`), so no content script can
 * read them in any browser. Updates are serialized so concurrent token
 * refreshes and page reports never lose each other's writes.
 */
import { browser, storage } from '#imports';
import { AppError } from '../errors';
import { createSecretStore, type SecretStore, type ServerSecrets } from './secret-store';
import type { DavCredentials } from '../webdav/detect';
import type { ServerRecord } from './types';

/** What `storage.local` holds of a server: everything but its secrets. */
type StoredServer = Omit<ServerRecord, 'token' | 'pageToken' | 'dav'> & { dav?: Omit<DavCredentials, 'password'> };
/** Versions up to 0.1.0 kept the secrets inside the record. */
type LegacyServer = StoredServer & Pick<ServerRecord, 'token' | 'pageToken'> & { dav?: { password?: string } };

const serversItem = storage.defineItem<LegacyServer[]>('local:servers', { fallback: [] });

function split(record: ServerRecord | LegacyServer): { stored: StoredServer; secrets: ServerSecrets } {
  const { token, pageToken, dav, ...rest } = record;
  const { password, ...davRest } = dav ?? {};
  const stored: StoredServer = dav ? { ...rest, dav: davRest as Omit<DavCredentials, 'password'> } : rest;
  return { stored, secrets: { token, pageToken, davPassword: password } };
}

function join(stored: StoredServer, secrets: ServerSecrets | undefined): ServerRecord {
  const { dav, ...rest } = stored;
  return {
    ...rest,
    ...(dav && { dav: { ...dav, password: secrets?.davPassword ?? '' } }),
    ...(secrets?.token && { token: secrets.token }),
    ...(secrets?.pageToken && { pageToken: secrets.pageToken }),
  };
}

const hasSecrets = (server: LegacyServer) => !!(server.token || server.pageToken || server.dav?.password);

/**
 * Chrome lets content scripts read `storage.local` unless the worker restricts
 * it (developer.chrome.com `chrome.storage` → "Storage areas", `setAccessLevel`,
 * Chrome 102). The setting is not kept across restarts, so every start sets it.
 * Firefox has no such call; there the secrets' own store is what protects them.
 */
export async function restrictStorageToExtension(): Promise<void> {
  const local = browser.storage.local as { setAccessLevel?: (options: { accessLevel: string }) => Promise<void> };
  await local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' });
}

/** Calls `listener` whenever the stored server records change (from any extension context). */
export function watchStoredServers(listener: () => void): () => void {
  return serversItem.watch(() => listener());
}

export type ServerRegistry = ReturnType<typeof createServerRegistry>;

export function createServerRegistry(secretStore: SecretStore = createSecretStore()) {
  let queue: Promise<unknown> = Promise.resolve();
  /** Told of every saved change in this context, as it is saved (no storage event to wait for). */
  const listeners = new Set<(servers: ServerRecord[]) => void>();
  const changed = (servers: ServerRecord[]) => listeners.forEach((listener) => listener(servers));
  /** Runs `change` after every earlier change has finished. */
  function serialized<T>(change: () => Promise<T>): Promise<T> {
    const next = queue.then(change, change);
    queue = next.catch(() => undefined);
    return next;
  }

  /**
   * An upgrade moves secrets kept in `storage.local` by older versions to the
   * secret store: secrets first, then the records without them, so a worker
   * killed in between loses nothing (the next start moves them again).
   */
  async function migrate(): Promise<void> {
    await restrictStorageToExtension().catch(() => undefined);
    const stored = await serversItem.getValue();
    if (!stored.some(hasSecrets)) return;
    const known = await secretStore.all();
    for (const server of stored.filter(hasSecrets)) {
      const { secrets } = split(server);
      await secretStore.put(server.id, { ...secrets, ...withoutEmpty(known.get(server.id)) });
    }
    await serversItem.setValue(stored.map((server) => split(server).stored));
  }
  const ready = serialized(migrate);

  async function load(): Promise<ServerRecord[]> {
    await ready;
    const [stored, secrets] = await Promise.all([serversItem.getValue(), secretStore.all()]);
    return stored.map((server) => join(server, secrets.get(server.id)));
  }

  async function save(servers: ServerRecord[], changed: ServerRecord[]): Promise<void> {
    for (const record of changed) await secretStore.put(record.id, split(record).secrets);
    await serversItem.setValue(servers.map((record) => split(record).stored));
  }

  async function get(id: string): Promise<ServerRecord> {
    const found = (await load()).find((server) => server.id === id);
    if (!found) throw new AppError('not-found', `No connected server ${id}`);
    return found;
  }

  return {
    list: load,
    get,
    /** Calls `listener` with every server after each change saved through this registry. */
    onChange(listener: (servers: ServerRecord[]) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async findByOrigin(origin: string): Promise<ServerRecord[]> {
      return (await load()).filter((server) => server.origin === origin);
    },
    add(record: ServerRecord): Promise<void> {
      return serialized(async () => {
        const servers = [...(await load()), record];
        await save(servers, [record]);
        changed(servers);
      });
    },
    update(id: string, patch: (record: ServerRecord) => Partial<ServerRecord>): Promise<ServerRecord> {
      return serialized(async () => {
        const servers = await load();
        const index = servers.findIndex((server) => server.id === id);
        if (index < 0) throw new AppError('not-found', `No connected server ${id}`);
        const updated = { ...servers[index]!, ...patch(servers[index]!) };
        servers[index] = updated;
        await save(servers, [updated]);
        changed(servers);
        return updated;
      });
    },
    remove(id: string): Promise<void> {
      return serialized(async () => {
        const servers = (await load()).filter((server) => server.id !== id);
        await serversItem.setValue(servers.map((s) => split(s).stored));
        await secretStore.delete(id);
        changed(servers);
      });
    },
  };
}

function withoutEmpty(secrets: ServerSecrets | undefined): ServerSecrets {
  return Object.fromEntries(Object.entries(secrets ?? {}).filter(([, value]) => value !== undefined));
}
