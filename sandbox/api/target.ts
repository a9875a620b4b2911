import type { Stats } from 'node:fs';
import type { ApiContext } from '../context';
import { ApiError } from '../http';
import { resolveShareUri, shareUri, type ShareRead } from '../shares';
import type { FileResponse } from '../fs';
import type { SandboxUser } from '../state';
import { parseCrUri } from '../uri';

/** A resolved `cloudreve://my/...` target, or a share URI resolved to its owner's tree. */
export interface Target {
  /** Whose tree `segments` is in: the caller, or a share's owner. */
  user: SandboxUser;
  segments: string[];
  stats: Stats | null;
  /** Set when the URI was a share's (read-only). */
  share?: ShareRead;
}

/**
 * Resolves a URI of the caller's own filesystem. Anonymous → 401 (BE dbfs `ErrLoginRequired`),
 * another user's uid → 403 (BE `my_navigator.go` `To`), unparsable → 40001. With `read`, a
 * share URI (`cloudreve://<id>[:<password>]@share/...`) is resolved too, for anonymous visitors
 * as well (sandbox/shares.ts); writes never reach a share.
 */
export async function resolveTarget(ctx: ApiContext, raw: unknown, options: { read?: boolean } = {}): Promise<Target> {
  if (typeof raw !== 'string' || raw === '')
    throw new ApiError(40001, "Key: 'Uri' Error:Field validation for 'Uri' failed on the 'required' tag");
  const uri = parseCrUri(raw);
  if (!uri) throw new ApiError(40001, 'Invalid URI');
  if (options.read && uri.filesystem === 'share') {
    const share = resolveShareUri(ctx.app, uri, ctx.user);
    const stats = await ctx.app.files.stat(share.owner.num, share.segments);
    return { user: share.owner, segments: share.segments, stats, share };
  }
  if (!ctx.user) throw new ApiError(401, 'Login required');
  if (uri.filesystem !== 'my') throw new ApiError(40016, 'Path not exist');
  if (uri.userHint && uri.userHint !== ctx.user.id) throw new ApiError(403, 'Permission denied');
  return { user: ctx.user, segments: uri.segments, stats: await ctx.app.files.stat(ctx.user.num, uri.segments) };
}

/** Like resolveTarget but the path must exist (else 40016 "Path not exist"). */
export async function resolveExisting(
  ctx: ApiContext,
  raw: unknown,
  options: { read?: boolean } = {},
): Promise<Target & { stats: Stats }> {
  const target = await resolveTarget(ctx, raw, options);
  if (!target.stats) throw new ApiError(40016, 'Path not exist');
  return target as Target & { stats: Stats };
}

/**
 * The response for `segments` (in `target.user`'s tree) as the caller sees it: inside a share,
 * its path is a share URI below the root the caller used, and the visitor does not own it.
 */
export function asSeen(ctx: ApiContext, target: Target, segments: readonly string[], stats: Stats): FileResponse {
  const response = ctx.app.files.toResponse(target.user.num, segments, stats);
  const { share } = target;
  if (!share) return response;
  const below = segments.slice(share.share.segments.length - (share.share.isFolder ? 0 : 1));
  const inShare = share.share.isFolder ? below : below.length ? [share.share.segments.at(-1)!] : [];
  return { ...response, path: shareUri(share.root, inShare), owned: ctx.user?.num === share.owner.num };
}
