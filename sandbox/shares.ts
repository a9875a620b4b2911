/**
 * Share links as Cloudreve v4 keeps them (BE `service/share/manage.go` `Upsert`,
 * `pkg/filemanager/fs/dbfs/share_navigator.go`): one shared file or folder of its
 * owner, an optional password, an optional expiry, and who may read it. A share
 * is read through `cloudreve://<id>[:<password>]@share/<path>` URIs.
 */
import { PERMISSION } from './config';
import type { App } from './context';
import { ApiError } from './http';
import { decodeId, encodeId } from './ids';
import type { SandboxUser } from './state';
import { pathEscape, type CrUri } from './uri';

export interface SandboxShare {
  num: number;
  id: string;
  ownerNum: number;
  /** The shared item in its owner's tree. */
  segments: string[];
  isFolder: boolean;
  password: string;
  /** Epoch ms; null = never. */
  expires: number | null;
  createdAt: number;
  visited: number;
}

/** A share URI resolved to its owner's tree. */
export interface ShareRead {
  share: SandboxShare;
  owner: SandboxUser;
  /** Path in the owner's tree. */
  segments: string[];
  /** The URI root the caller used (`cloudreve://id[:password]@share`), for the paths we answer with. */
  root: string;
  /** Path below the share root, as the caller sees it. */
  inShare: string[];
}

export function createShareStore() {
  const shares: SandboxShare[] = [];
  return {
    all: shares,
    add(share: Omit<SandboxShare, 'num' | 'id' | 'visited'>): SandboxShare {
      const num = shares.length + 1;
      const created = { ...share, num, id: encodeId('share', num), visited: 0 };
      shares.push(created);
      return created;
    },
    byId(id: string): SandboxShare | undefined {
      const num = decodeId('share', id);
      return num === undefined ? undefined : shares.find((share) => share.num === num);
    },
  };
}

export type ShareStore = ReturnType<typeof createShareStore>;

/** Share link as BE `explorer.BuildShareLink` makes it: `<site>/s/<id>[/<password>]`. */
export function shareLink(app: App, share: SandboxShare): string {
  return `${app.baseUrl()}/s/${share.id}${share.password ? `/${share.password}` : ''}`;
}

/** The share behind `id`, if it exists and has not expired (BE `inventory.IsValidShare`); else 404. */
export function validShare(app: App, id: string): SandboxShare {
  const share = app.shares.byId(id);
  if (!share || (share.expires !== null && share.expires <= Date.now()))
    throw new ApiError(404, 'Shared file does not exist');
  return share;
}

/**
 * Resolves a share URI for `visitor` (null: not signed in) as the share navigator's `Root` and
 * `To` do: unknown or expired → 404; wrong password → 40069; a visitor other than the owner
 * without `share_download` → 40088 (anonymous) or 403. A file share's root holds that one file.
 */
export function resolveShareUri(app: App, uri: CrUri, visitor: SandboxUser | null): ShareRead {
  const [id = '', password = ''] = (uri.userHint ?? '').split(':');
  const share = validShare(app, id);
  if (share.password && share.password !== password) throw new ApiError(40069, 'Incorrect share password');
  const owner = app.state.userByNum(share.ownerNum)!;
  if (visitor?.num !== owner.num) {
    const allowed = visitor
      ? app.state.hasPermission(visitor, PERMISSION.shareDownload)
      : app.config.anonymousShareDownload;
    if (!allowed && !visitor) throw new ApiError(40088, "You don't have permission to access share links");
    if (!allowed) throw new ApiError(403, "You don't have permission to access share links");
  }
  const root = `cloudreve://${uri.userHint}@share`;
  const name = share.segments.at(-1)!;
  if (!share.isFolder) {
    // The root of a file share is its parent; only the file's own name walks into it.
    if (uri.segments.length > 1 || (uri.segments.length === 1 && uri.segments[0] !== name))
      throw new ApiError(40016, 'Path not exist');
    const segments = uri.segments.length ? share.segments : share.segments.slice(0, -1);
    return { share, owner, segments, root, inShare: uri.segments };
  }
  return { share, owner, segments: [...share.segments, ...uri.segments], root, inShare: uri.segments };
}

/** The URI of `inShare` below the share root the caller used. */
export function shareUri(root: string, inShare: readonly string[]): string {
  return inShare.length ? `${root}/${inShare.map(pathEscape).join('/')}` : root;
}

/**
 * The short link's redirect (BE `routers/router.go` group `s`, `service/share/visit.go`
 * `ShortLinkRedirectService.RedirectTo`, `pkg/cluster/routes/routes.go` `MasterShareLongUrl`):
 * `/s/<id>[/<password>]` → 302 to `/home?path=cloudreve://<id>[:<password>]@share`, whether or not
 * the share exists (the web app then shows what the listing answers). A `?path=` of the short link
 * is appended below the share root. Null for any other path.
 */
export function shareRedirect(url: URL): string | null {
  const match = /^\/s\/([^/]+)(?:\/([^/]+))?\/?$/.exec(url.pathname);
  if (!match) return null;
  let id: string;
  let password: string;
  try {
    [id, password] = [decodeURIComponent(match[1]!), decodeURIComponent(match[2] ?? '')];
  } catch {
    return null;
  }
  let path = `cloudreve://${password ? `${id}:${password}` : id}@share`;
  const below = url.searchParams.get('path');
  if (below) path += `/${below.replace(/^\//, '')}`;
  const query = new URLSearchParams({ path });
  for (const [key, value] of url.searchParams) if (key !== 'path') query.append(key, value);
  return `/home?${query.toString()}`;
}
