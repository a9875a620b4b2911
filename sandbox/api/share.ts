/**
 * Share links (BE `service/share/manage.go` `Upsert`, `service/share/visit.go` `ShareInfoService.Get`):
 * `PUT /share` creates one for an item of the caller's own drive and answers its link;
 * `GET /share/info/<id>` describes it, `unlocked` false while the password is missing or
 * wrong (the owner always sees it unlocked). Reading a share goes through share URIs
 * (sandbox/shares.ts, sandbox/api/target.ts).
 */
import { PERMISSION } from '../config';
import type { ApiContext, Route } from '../context';
import { requireUser } from '../context';
import { ApiError, readJson, sendData } from '../http';
import { rfc3339 } from '../jwt';
import { shareLink, validShare } from '../shares';
import { randomString } from '../state';
import { resolveExisting } from './target';

async function createShare(ctx: ApiContext): Promise<void> {
  const user = requireUser(ctx);
  const body = await readJson(ctx.req);
  if (!ctx.app.state.hasPermission(user, PERMISSION.share)) throw new ApiError(40007, 'Group permission denied');
  if (typeof body.password === 'string' && body.password.length > 32)
    throw new ApiError(
      40001,
      "Key: 'ShareCreateService.Password' Error:Field validation for 'Password' failed on the 'max' tag",
    );
  const target = await resolveExisting(ctx, body.uri);
  if (target.segments.length === 0) throw new ApiError(40053, 'Root folder cannot be shared');
  // A private share without a password of the caller's gets a generated one (BE manager `CreateOrUpdateShare`).
  const password =
    typeof body.password === 'string' && body.password ? body.password : body.is_private ? randomString(8) : '';
  const expire = Number(body.expire) || 0;
  const share = ctx.app.shares.add({
    ownerNum: user.num,
    segments: target.segments,
    isFolder: target.stats.isDirectory(),
    password,
    expires: expire > 0 ? Date.now() + expire * 1000 : null,
    createdAt: Date.now(),
  });
  sendData(ctx.res, shareLink(ctx.app, share));
}

async function shareInfo(ctx: ApiContext): Promise<void> {
  const share = validShare(ctx.app, ctx.params[0]!);
  const password = ctx.url.searchParams.get('password') ?? '';
  if (ctx.url.searchParams.get('count_views') === 'true') share.visited += 1;
  const owner = ctx.app.state.userByNum(share.ownerNum)!;
  const unlocked = !share.password || password === share.password || ctx.user?.num === owner.num;
  sendData(ctx.res, {
    id: share.id,
    name: share.segments.at(-1),
    visited: share.visited,
    unlocked,
    source_type: share.isFolder ? 1 : 0,
    owner: { id: owner.id, nickname: owner.nickname, created_at: rfc3339(0) },
    created_at: rfc3339(share.createdAt),
    expired: false,
    ...(share.expires !== null && { expires: rfc3339(share.expires) }),
    url: shareLink(ctx.app, share),
    is_private: !!share.password,
    ...(ctx.user?.num === owner.num && share.password && { password: share.password }),
  });
}

/** share routes. */
export const shareRoutes: Route[] = [
  { method: 'PUT', pattern: /^\/share$/, handle: createShare },
  { method: 'GET', pattern: /^\/share\/info\/([^/]+)$/, handle: shareInfo },
];
