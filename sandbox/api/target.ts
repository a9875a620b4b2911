import type { Stats } from 'node:fs';
import type { ApiContext } from '../context';
import { ApiError } from '../http';
import type { SandboxUser } from '../state';
import { parseCrUri } from '../uri';

/** A resolved `cloudreve://my/...` target. */
export interface Target {
  user: SandboxUser;
  segments: string[];
  stats: Stats | null;
}

/**
 * Resolves a URI of the caller's own filesystem. Anonymous → 401 (BE dbfs `ErrLoginRequired`),
 * another user's uid → 403 (BE `my_navigator.go` `To`), unparsable → 40001.
 */
export async function resolveTarget(ctx: ApiContext, raw: unknown): Promise<Target> {
  if (typeof raw !== 'string' || raw === '')
    throw new ApiError(40001, "Key: 'Uri' Error:Field validation for 'Uri' failed on the 'required' tag");
  const uri = parseCrUri(raw);
  if (!uri) throw new ApiError(40001, 'Invalid URI');
  if (!ctx.user) throw new ApiError(401, 'Login required');
  if (uri.filesystem !== 'my') throw new ApiError(40016, 'Path not exist');
  if (uri.userHint && uri.userHint !== ctx.user.id) throw new ApiError(403, 'Permission denied');
  return { user: ctx.user, segments: uri.segments, stats: await ctx.app.files.stat(ctx.user.num, uri.segments) };
}

/** Like resolveTarget but the path must exist (else 40016 "Path not exist"). */
export async function resolveExisting(ctx: ApiContext, raw: unknown): Promise<Target & { stats: Stats }> {
  const target = await resolveTarget(ctx, raw);
  if (!target.stats) throw new ApiError(40016, 'Path not exist');
  return target as Target & { stats: Stats };
}
