/**
 * What the destination picker and the checks before Start ask of a Cloudreve
 * drive: the folders inside a folder, a new folder (never an existing one),
 * the user's free capacity and the single-file limit of a folder's storage
 * policy (docs/cloudreve-api.md#listing-files, #user-capacity, #storage-policies).
 */
import { AppError, isAppError } from '../errors';
import type { CloudreveClient } from './client';
import { listAll } from './files';
import { FileType, type FileResponse, type ListResponse } from './types';
import { joinUri } from './uri';

/** The picker lists at most this many folders of one folder (a page of the server's own listing is at most 2,000). */
export const MAX_LISTED_FOLDERS = 2000;

export interface FolderItem {
  name: string;
  uri: string;
}

/** A name a folder can have (the server refuses `/`; `.`/`..` would leave the folder). */
export function checkFolderName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed === '.' || trimmed === '..' || /[/\\\0]/.test(trimmed)) {
    throw new AppError('invalid-name', `"${name}" cannot be used as a folder name`);
  }
  return trimmed;
}

/**
 * The folders directly inside `uri`, in the server's order. The server lists
 * folders before files (`dbfs` List orders by type first), so the walk stops at
 * the first file instead of paging through a folder of 10,000 files.
 */
export async function listChildFolders(
  client: CloudreveClient,
  uri: string,
  signal?: AbortSignal,
): Promise<FolderItem[]> {
  const folders: FolderItem[] = [];
  for await (const child of listAll(client, uri, { signal })) {
    if (child.type !== FileType.folder) break;
    folders.push({ name: child.name, uri: child.path });
    if (folders.length >= MAX_LISTED_FOLDERS) break;
  }
  return folders;
}

/**
 * Creates the folder `name` in `parentUri`. `err_on_conflict` turns an existing
 * name (file or folder) into 40004 instead of answering the existing folder, so
 * nothing that exists is ever taken over: that becomes `folder-exists`.
 */
export async function createChildFolder(
  client: CloudreveClient,
  parentUri: string,
  name: string,
  signal?: AbortSignal,
): Promise<FolderItem> {
  const uri = joinUri(parentUri, checkFolderName(name));
  try {
    const created = await client.request<FileResponse>('POST', '/file/create', {
      body: { uri, type: 'folder', err_on_conflict: true },
      signal,
    });
    return { name: created.name, uri: created.path };
  } catch (error) {
    if (isAppError(error) && error.code === 'destination-exists') {
      // The message is the name: lib/user-message.ts shows it in its sentence.
      throw new AppError('folder-exists', name.trim(), { parentUri });
    }
    throw error;
  }
}

/** `GET /user/capacity`: bytes the user may still store (total − used; never below 0). */
export async function freeCapacity(client: CloudreveClient, signal?: AbortSignal): Promise<number> {
  const { total, used } = await client.request<{ total: number; used: number }>('GET', '/user/capacity', { signal });
  return Math.max(0, total - used);
}

/**
 * The largest file the storage policy of `folderUri` accepts, or undefined when
 * unlimited: the listing names the folder's policy, whose `max_size` (0 = none)
 * an upload session refuses with 40049 (BE `dbfs/upload.go` `validateNewFile`).
 */
export async function folderMaxFileSize(
  client: CloudreveClient,
  folderUri: string,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const list = await client.request<ListResponse>('GET', '/file', { query: { uri: folderUri, page_size: 50 }, signal });
  const max = list.storage_policy?.max_size ?? 0;
  return max > 0 ? max : undefined;
}
