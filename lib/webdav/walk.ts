/**
 * Lists a WebDAV selection as archive entries. Only `Depth: 1` is used: Apache
 * (without DavDepthInfinity), nginx dav_ext and webdav-server refuse `infinity`,
 * and ownCloud answers it with 412 (docs/webdav-servers.md#depth-infinity).
 *
 * Output is depth-first (a folder, then everything inside it) as ArchiveSource
 * requires, while fetching runs ahead breadth-wise: when a folder's members are
 * emitted, the listings of all its subfolders start at once, at most
 * `concurrency` requests in flight. Only listings along the current path and
 * their siblings are held, so memory stays bounded by the tree's breadth.
 */
import type { OnUnreadable, SourceEntry } from '../archive/types';
import { isUnreadable, unreadableItem, type UnreadableItem } from '../archive/unreadable';
import { AppError } from '../errors';
import type { DavClient, DavResource } from './client';
import { pathSegments } from './href';

/** A folder's members (null: gone), and the hrefs of members left out as no plain name inside it. */
type Listing = Promise<{ members: DavResource[] | null; refused: string[] }>;

/**
 * Folders deeper than this below a selected item are not entered: a server
 * that lists `sub/` inside every `sub/` would otherwise be walked forever.
 * Real trees stay far below it (Windows' and Linux' path limits end near 120
 * levels of one-letter names; typical trees have a few dozen at most).
 */
export const MAX_DAV_DEPTH = 64;

/** Walks `selection` (paths relative to the client's base); zip names are relative to each item's parent. */
export async function* walkDav(
  client: Pick<DavClient, 'stat' | 'list'>,
  selection: string[],
  signal: AbortSignal,
  options: {
    concurrency?: number;
    /** A folder left out: too deep, or listed twice (the walk goes on without it). */
    onSkipped?: (path: string, reason: 'too-deep' | 'seen') => void;
    /** A file or folder the server refuses to describe or list; without it such errors fail the walk. */
    onUnreadable?: OnUnreadable;
  } = {},
): AsyncGenerator<SourceEntry> {
  const { onUnreadable } = options;
  const visited = new Set<string>();
  const limit = createLimiter(options.concurrency ?? 4);
  const list = (path: string): Listing => {
    const refused: string[] = [];
    const listing = limit(async () => {
      signal.throwIfAborted();
      return { members: await client.list(path, signal, (href) => refused.push(href)), refused };
    });
    // Rejections surface when the listing is awaited; don't let an abandoned one go unhandled.
    listing.catch(() => undefined);
    return listing;
  };

  /** Whether the folder at `path`, `depth` levels below a selected item, may be listed. */
  function enter(path: string, depth: number): boolean {
    const key = path.normalize('NFC');
    if (visited.has(key)) return (options.onSkipped?.(path, 'seen'), false);
    if (depth > MAX_DAV_DEPTH) return (options.onSkipped?.(path, 'too-deep'), false);
    visited.add(key);
    return true;
  }

  /**
   * A listing, or null (reported) when the folder cannot be listed and the caller skips such items.
   * Members the client left out as unsafe are reported here, once the listing is in.
   */
  async function membersOf(listing: Listing, zipName: string): Promise<DavResource[] | null> {
    let answer: Awaited<Listing>;
    try {
      answer = await listing;
    } catch (error) {
      if (!onUnreadable || !isUnreadable(error)) throw error;
      onUnreadable(unreadableItem(zipName, 'folder', error));
      return null;
    }
    for (const href of answer.refused) {
      if (!onUnreadable) throw refusedMemberError(zipName, href);
      onUnreadable(refusedMember(zipName, href));
    }
    return answer.members;
  }

  async function* folder(path: string, zipName: string, listing: Listing, depth: number): AsyncGenerator<SourceEntry> {
    const members = await membersOf(listing, zipName);
    // A folder deleted since its parent was listed: its entry is already out, nothing to add.
    if (!members) return;
    members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subListings = new Map(
      members.filter((m) => m.isCollection && enter(m.path, depth + 1)).map((m) => [m.path, list(m.path)]),
    );
    for (const member of members) {
      signal.throwIfAborted();
      const name = `${zipName}/${member.name}`;
      yield toEntry(member, name);
      const sub = subListings.get(member.path);
      if (sub) yield* folder(member.path, name, sub, depth + 1);
    }
  }

  for (const item of selection) {
    signal.throwIfAborted();
    const zipName = pathSegments(item).pop() ?? '';
    let resource: DavResource | null;
    try {
      resource = await client.stat(item, signal);
    } catch (error) {
      // A selected item the server refuses to describe (lighttpd answers 400 for a name with a tab).
      if (!onUnreadable || !isUnreadable(error)) throw error;
      onUnreadable(unreadableItem(zipName || item, 'file', error));
      continue;
    }
    if (!resource)
      throw new AppError('selection-unavailable', `"${item}" no longer exists on the WebDAV server`, { path: item });
    if (!zipName)
      throw new AppError('selection-unavailable', 'The base folder itself cannot be selected', { path: item });
    yield toEntry(resource, zipName);
    if (resource.isCollection && enter(resource.path, 0)) yield* folder(resource.path, zipName, list(resource.path), 0);
  }
}

/**
 * The report of a member the server listed under an address that is no plain name inside its
 * folder (lib/webdav/client.ts memberName): left out, so the job says so. Its "path" is the
 * folder and the address as sent, which names what the server listed.
 */
function refusedMember(folder: string, href: string): UnreadableItem {
  const reason = `"${folder}/" lists it under an address that is no name inside that folder`;
  return { path: `${folder}: ${href}`, kind: 'file', code: 'unsafe-listing', reason };
}

/** Without a report to put it in, a member left out fails the walk rather than vanish unsaid. */
function refusedMemberError(folder: string, href: string): AppError {
  const { path, reason } = refusedMember(folder, href);
  return new AppError('unsafe-listing', reason, { path });
}

function toEntry(resource: DavResource, name: string): SourceEntry {
  return {
    name,
    kind: resource.isCollection ? 'folder' : 'file',
    size: resource.isCollection ? 0 : resource.size,
    modified: resource.modified,
    ref: resource.path,
  };
}

/** Runs at most `max` tasks at once, in the order they were queued. */
export function createLimiter(max: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so `active` never overshoots.
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}
