/**
 * The secrets of connected servers (Cloudreve token pairs, WebDAV passwords),
 * kept in the extension's own IndexedDB and opened only by the background.
 *
 * Why not `storage.local`: content scripts may read it. Chrome can restrict it
 * (`storage.local.setAccessLevel`, done at worker start), Firefox cannot
 * (MDN "storage.StorageArea.setAccessLevel()": Chrome only). IndexedDB is
 * per origin: a content script opening IndexedDB gets the page's databases,
 * never the extension's (MDN "Content scripts" → "Content script environment").
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { TokenPair } from '../cloudreve/auth';

export interface ServerSecrets {
  token?: TokenPair;
  pageToken?: TokenPair;
  davPassword?: string;
}

interface SecretsDB extends DBSchema {
  secrets: { key: string; value: ServerSecrets & { id: string } };
}

export type SecretStore = ReturnType<typeof createSecretStore>;

export function createSecretStore(name = 'cloudreve-archiver-secrets') {
  let opened: Promise<IDBPDatabase<SecretsDB>> | undefined;
  const db = () =>
    (opened ??= openDB<SecretsDB>(name, 1, {
      upgrade(database) {
        database.createObjectStore('secrets', { keyPath: 'id' });
      },
    }));

  return {
    async all(): Promise<Map<string, ServerSecrets>> {
      const rows = await (await db()).getAll('secrets');
      return new Map(rows.map(({ id, ...secrets }) => [id, secrets]));
    },
    async put(id: string, secrets: ServerSecrets): Promise<void> {
      await (await db()).put('secrets', { ...secrets, id });
    },
    async delete(id: string): Promise<void> {
      await (await db()).delete('secrets', id);
    },
  };
}
