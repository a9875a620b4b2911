import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Route } from '../context';
import { requireUser } from '../context';
import { sendData, sendText } from '../http';

/** Bytes stored under `dir` (a user's root). */
export async function usedBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    total += entry.isDirectory() ? await usedBytes(abs) : (await stat(abs)).size;
  }
  return total;
}

/** user/* routes. */
export const userRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/user\/me$/,
    handle: (ctx) => sendData(ctx.res, ctx.app.state.userJson(requireUser(ctx))),
  },
  {
    method: 'GET',
    pattern: /^\/user\/capacity$/,
    handle: async (ctx) => {
      const user = requireUser(ctx);
      sendData(ctx.res, {
        total: ctx.app.config.capacity,
        used: await usedBytes(ctx.app.files.userRoot(user.num)),
        storage_pack_total: 0,
      });
    },
  },
  // BE service/user/setting.go: no avatar → bare HTTP 404, not JSON.
  { method: 'GET', pattern: /^\/user\/avatar\/[^/]+$/, handle: ({ res }) => sendText(res, 404, '404 page not found') },
];
