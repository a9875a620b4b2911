/** File API: list, info, walk, download URLs, existence, folders (docs/cloudreve-api.md#listing-files). */
import type { OnUnreadable, SourceEntry } from '../archive/types';
import { isUnreadable, unreadableItem } from '../archive/unreadable';
import { AppError, isAppError } from '../errors';
import type { CloudreveClient } from './client';
import { FileType, type FileResponse, type FileUrlResponse, type ListResponse } from './types';
import { baseName } from './uri';

/** Server default for `max_batched_file` (BE `middleware/file.go`). */
export const MAX_BATCHED_FILE = 3000;
/** Metadata key of a shared-folder link (FE `getFileLinkedUri`). */
const SHARED_REDIRECT = 'sys:shared_redirect';

/** Every child of a folder, following cursor (or offset) pagination. */
export async function* listAll(
  client: CloudreveClient,
  uri: string,
  options: { pageSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<FileResponse> {
  let pageSize = options.pageSize ?? 1000;
  let nextPageToken: string | undefined;
  let page = 0;
  for (;;) {
    const list = await client.request<ListResponse>('GET', '/file', {
      query: { uri, page_size: pageSize, next_page_token: nextPageToken, page: nextPageToken ? undefined : page },
      signal: options.signal,
    });
    yield* list.files ?? [];
    if (list.props?.max_page_size) pageSize = Math.min(pageSize, list.props.max_page_size);
    const { pagination } = list;
    if (pagination?.next_token) {
      nextPageToken = pagination.next_token;
    } else if (
      !pagination?.is_cursor &&
      pagination?.total_items !== undefined &&
      list.files.length > 0 &&
      (pagination.page + 1) * pagination.page_size < pagination.total_items
    ) {
      page = pagination.page + 1;
    } else {
      return;
    }
  }
}

/** `GET /file/info`: one FileResponse. */
export function getInfo(client: CloudreveClient, uri: string, signal?: AbortSignal): Promise<FileResponse> {
  return client.request<FileResponse>('GET', '/file/info', { query: { uri }, signal });
}

/** Whether something exists at `uri` (only "not found" means false; other errors propagate). */
export async function fileExists(client: CloudreveClient, uri: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await getInfo(client, uri, signal);
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === 'not-found') return false;
    throw error;
  }
}

/** Creates a folder (and missing parents); an existing folder is fine. */
export function createFolder(client: CloudreveClient, uri: string, signal?: AbortSignal): Promise<FileResponse> {
  return client.request<FileResponse>('POST', '/file/create', {
    body: { uri, type: 'folder', err_on_conflict: false },
    signal,
  });
}

/** The URI to list a folder by: a shared-folder link redirects (FE `getFileLinkedUri`). */
function linkedUri(file: FileResponse): string {
  return file.metadata?.[SHARED_REDIRECT] || file.path;
}

function toEntry(file: FileResponse, name: string): SourceEntry {
  const folder = file.type === FileType.folder;
  return {
    name,
    kind: folder ? 'folder' : 'file',
    size: folder ? 0 : file.size,
    modified: Date.parse(file.updated_at) || 0,
    ref: file.path,
  };
}

async function* walkFolder(
  client: CloudreveClient,
  folder: FileResponse,
  prefix: string,
  signal: AbortSignal,
  onUnreadable: OnUnreadable | undefined,
): AsyncGenerator<SourceEntry> {
  try {
    for await (const child of listAll(client, linkedUri(folder), { signal })) {
      // The server's own archiver skips shared-folder links inside walked folders (BE `manager/archive.go`).
      if (child.metadata?.[SHARED_REDIRECT]) continue;
      const name = `${prefix}/${child.name}`;
      yield toEntry(child, name);
      if (child.type === FileType.folder) yield* walkFolder(client, child, name, signal, onUnreadable);
    }
  } catch (error) {
    // Nested folders report their own failures; what reaches here is this folder's listing.
    if (!onUnreadable || !isUnreadable(error) || signal.aborted) throw error;
    onUnreadable(unreadableItem(prefix, 'folder', error));
  }
}

/**
 * Walks the selection like the server's archiver: names relative to each selected
 * item's parent, folders recursive, depth-first, a folder before its contents,
 * `modified` from `updated_at` (docs/cloudreve-api.md#server-archive-format).
 */
export async function* walkSelection(
  client: CloudreveClient,
  uris: string[],
  signal: AbortSignal,
  onUnreadable?: OnUnreadable,
): AsyncGenerator<SourceEntry> {
  for (const uri of uris) {
    signal.throwIfAborted();
    const info = await getInfo(client, uri, signal);
    const name = info.name || baseName(uri);
    yield toEntry(info, name);
    if (info.type === FileType.folder) yield* walkFolder(client, info, name, signal, onUnreadable);
  }
}

/**
 * Download URLs for `uris`, in order; `null` where the server left the slot empty
 * (`skip_error`: a vanished or unreadable file, docs/cloudreve-api.md#download-urls). Batches stay under
 * `max_batched_file`. `expires` is the earliest expiry over all batches (ms epoch).
 */
export async function getDownloadUrls(
  client: CloudreveClient,
  uris: string[],
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<{ urls: (string | null)[]; expires: number | undefined }> {
  const batchSize = Math.min(Math.max(1, options.batchSize ?? 100), MAX_BATCHED_FILE);
  const urls: (string | null)[] = [];
  let expires: number | undefined;
  for (let start = 0; start < uris.length; start += batchSize) {
    const batch = uris.slice(start, start + batchSize);
    const response = await client.request<FileUrlResponse>('POST', '/file/url', {
      body: { uris: batch, skip_error: true },
      signal: options.signal,
    });
    if (response.urls.length > batch.length)
      throw new AppError('cloudreve', 'POST /file/url answered more URLs than asked');
    batch.forEach((_, index) => urls.push(response.urls[index]?.url || null));
    const batchExpires = response.expires ? Date.parse(response.expires) : NaN;
    if (!Number.isNaN(batchExpires)) expires = Math.min(expires ?? Infinity, batchExpires);
  }
  return { urls, expires };
}
