/**
 * Share links (`/s/<id>[/<password>]`, read as `cloudreve://<id>[:<password>]@share/...`;
 * docs/cloudreve-api.md#share-links). Cloudreve's archive task reads items inside a share as
 * its owner would through the share's rules, but refuses the share root itself (BE
 * `pkg/filemanager/manager/archive.go` `CreateArchive`: `WithNotRoot`), so "the whole share"
 * is archived as the root's children, on either route.
 */
import type { CloudreveClient } from './client';
import { listAll } from './files';
import { parseUri } from './uri';

/** Whether `uri` reads a share (`cloudreve://<id>[:<password>]@share/...`). */
export function isShareUri(uri: string): boolean {
  try {
    return parseUri(uri).filesystem === 'share';
  } catch {
    return false;
  }
}

/** Whether `uri` is a share's root, the whole share. */
export function isShareRoot(uri: string): boolean {
  return isShareUri(uri) && parseUri(uri).segments.length === 0;
}

/** `sources` with every share root replaced by the items it holds (their URIs, as listed). */
export async function expandShareRoots(
  client: CloudreveClient,
  sources: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const expanded: string[] = [];
  for (const source of sources) {
    if (!isShareRoot(source)) {
      expanded.push(source);
      continue;
    }
    for await (const file of listAll(client, source, { signal })) expanded.push(file.path);
  }
  return expanded;
}
