/**
 * Browsing a server over WebDAV for the browse page. The worker holds the
 * credentials and answers names, sizes and dates only; failures surface as
 * coded errors (wrong-credentials, network, not-found, …) that the page turns
 * into text with lib/user-message.ts.
 */
import { AppError } from '../errors';
import type { Destination } from '../jobs/types';
import { checkFolderName } from '../cloudreve/folders';
import type { DavEntry, DavListing, FolderItem } from '../messaging/payloads';
import type { ServerRecord } from '../servers/types';
import { pathSegments } from '../webdav/href';
import type { Connections } from './connections';

export interface DavBrowseDeps {
  registry: { get(id: string): Promise<ServerRecord> };
  connections: Pick<Connections, 'dav'>;
}

/** `/a//b/` → `a/b`; refuses `..` so a page can never step above the account's base collection. */
export function normalizeDavPath(path: string): string {
  const segments = pathSegments(path);
  if (segments.includes('..')) throw new AppError('invalid-name', `"${path}" is not a folder path`);
  return segments.join('/');
}

/** Folders first, then by name in the user's collation. */
export function compareEntries(a: DavEntry, b: DavEntry): number {
  if (a.isCollection !== b.isCollection) return a.isCollection ? -1 : 1;
  return a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' });
}

export function createDavBrowse(deps: DavBrowseDeps) {
  return {
    /** The members of the folder at `path` on the server's WebDAV account. */
    async list(serverId: string, path: string): Promise<DavListing> {
      const folder = normalizeDavPath(path);
      const client = await deps.connections.dav(serverId);
      const found = await client.list(folder);
      if (!found) throw new AppError('not-found', `The folder "/${folder}" does not exist`, { path: folder });
      const entries = found
        .filter((resource) => resource.name !== '')
        .map(({ name, path: entryPath, isCollection, size, modified }) => ({
          name,
          path: entryPath,
          isCollection,
          size,
          modified,
        }))
        .sort(compareEntries);
      return { path: folder, entries };
    },

    /**
     * The browse page's "New folder": `name` inside `parent`, never over
     * something that exists (a file or folder of that name is `folder-exists`).
     */
    async createFolder(serverId: string, parent: string, name: string): Promise<FolderItem> {
      const folder = normalizeDavPath(parent);
      const path = [...pathSegments(folder), checkFolderName(name)].join('/');
      const client = await deps.connections.dav(serverId);
      if ((await client.stat(path)) || !(await client.mkcol(path))) {
        throw new AppError('folder-exists', name.trim(), { parent: folder });
      }
      return { name: name.trim(), location: path };
    },

    /**
     * Refuses, before anything is written, to store through an account the
     * server marked read-only (docs/cloudreve-api.md#webdav-endpoint: its PUT would answer 403).
     */
    async assertWritable(serverId: string, destination: Destination): Promise<void> {
      if (destination.kind !== 'webdav') return;
      const server = await deps.registry.get(serverId);
      if (server.dav?.readOnly) {
        throw new AppError('read-only', `The WebDAV account of ${server.label} may only read`, { serverId });
      }
    },
  };
}

export type DavBrowse = ReturnType<typeof createDavBrowse>;
