import type { ApiContext, Route } from '../context';
import { requireUser } from '../context';
import { PERMISSION } from '../config';
import { ApiError, readJson, sendData } from '../http';
import { decodeId, encodeBoolset } from '../ids';
import { rfc3339 } from '../jwt';
import type { DavAccount, SandboxUser } from '../state';
import { parseCrUri } from '../uri';

/** DavAccount JSON; options bits readonly 0, proxy 1, disable_sys_files 2 (FE src/api/setting.ts). */
function accountJson(account: DavAccount) {
  const bits = [account.readonly && 0, account.proxy && 1, account.disableSysFiles && 2].filter(
    (bit): bit is number => typeof bit === 'number',
  );
  return {
    id: account.id,
    created_at: rfc3339(account.createdAt),
    name: account.name,
    uri: account.uri,
    password: account.password,
    options: encodeBoolset(bits),
  };
}

function davUser(ctx: ApiContext): SandboxUser {
  const user = requireUser(ctx);
  if (!ctx.app.state.hasPermission(user, PERMISSION.webdav))
    throw new ApiError(40007, 'WebDAV is not enabled for this user group');
  return user;
}

async function accountInput(ctx: ApiContext, user: SandboxUser) {
  const body = await readJson(ctx.req);
  if (typeof body.name !== 'string' || body.name === '')
    throw new ApiError(40001, "Key: 'Name' Error:Field validation for 'Name' failed on the 'required' tag");
  const uri = typeof body.uri === 'string' ? parseCrUri(body.uri) : null;
  // Only cloudreve://my… (or shares) without a query (BE service/setting/webdav.go).
  if (!uri || uri.filesystem !== 'my' || String(body.uri).includes('?')) throw new ApiError(40001, 'Invalid URI');
  return {
    name: body.name,
    uri: String(body.uri),
    readonly: Boolean(body.readonly),
    // `proxy` is kept only with the group's webdav_proxy bit.
    proxy: Boolean(body.proxy) && ctx.app.state.hasPermission(user, PERMISSION.webdavProxy),
    disableSysFiles: Boolean(body.disable_sys_files),
  };
}

function ownAccount(ctx: ApiContext, user: SandboxUser): DavAccount {
  const num = decodeId('dav', ctx.params[0]!);
  if (num === undefined) throw new ApiError(40001, 'Failed to parse object ID');
  const account = ctx.app.state.davAccounts.find((a) => a.num === num && a.userNum === user.num);
  if (!account) throw new ApiError(404, 'Account not found');
  return account;
}

/** devices/dav routes (docs/cloudreve-api.md#webdav-accounts). */
export const deviceRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/devices\/dav$/,
    handle: (ctx) => {
      const user = davUser(ctx);
      const pageSize = Number(ctx.url.searchParams.get('page_size') ?? 10);
      if (!Number.isInteger(pageSize) || pageSize < 10 || pageSize > 100)
        throw new ApiError(40001, 'Invalid page_size');
      const token = ctx.url.searchParams.get('next_page_token');
      const after = token ? decodeId('dav', token) : 0;
      if (after === undefined) throw new ApiError(40001, 'Invalid next_page_token');
      const mine = ctx.app.state.davAccounts.filter((a) => a.userNum === user.num && a.num > after);
      const page = mine.slice(0, pageSize);
      sendData(ctx.res, {
        accounts: page.map(accountJson),
        pagination: {
          page: 0,
          page_size: pageSize,
          is_cursor: true,
          ...(mine.length > pageSize ? { next_token: page[page.length - 1]!.id } : {}),
        },
      });
    },
  },
  {
    method: 'PUT',
    pattern: /^\/devices\/dav$/,
    handle: async (ctx) => {
      const user = davUser(ctx);
      sendData(ctx.res, accountJson(ctx.app.state.createDavAccount(user, await accountInput(ctx, user))));
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/devices\/dav\/([^/]+)$/,
    handle: async (ctx) => {
      const user = davUser(ctx);
      const account = ownAccount(ctx, user);
      Object.assign(account, await accountInput(ctx, user));
      sendData(ctx.res, accountJson(account));
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/devices\/dav\/([^/]+)$/,
    handle: (ctx) => {
      const user = davUser(ctx);
      const account = ownAccount(ctx, user);
      const list = ctx.app.state.davAccounts;
      list.splice(list.indexOf(account), 1);
      sendData(ctx.res);
    },
  },
];
