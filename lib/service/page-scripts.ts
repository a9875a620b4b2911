/**
 * The Cloudreve page integration is registered at runtime, only for the
 * origins of connected Cloudreve servers whose host access the user granted
 * (the origin is the user's own, so it cannot be in the manifest).
 */
import { browser } from '#imports';
import { originPattern } from '../servers/host-pattern';
import type { ServerRecord } from '../servers/types';

const PREFIX = 'cloudreve-page:';

export async function syncPageScripts(
  servers: ServerRecord[],
  hasHostPermission: (origin: string) => Promise<boolean>,
) {
  const wanted = new Map<string, string>();
  for (const server of servers) {
    if (server.kind === 'cloudreve' && (await hasHostPermission(server.origin))) {
      // Keyed by the pattern: in Firefox two servers on one host share it, and one registration serves both.
      const match = originPattern(server.origin);
      wanted.set(`${PREFIX}${match}`, match);
    }
  }
  const registered = new Set((await browser.scripting.getRegisteredContentScripts()).map((script) => script.id));
  // Each origin has two registrations (below); a pair missing either half is registered anew.
  const wantedIds = new Set([...wanted.keys()].flatMap(pairIds));
  const stale = [...registered].filter((id) => id.startsWith(PREFIX) && !wantedIds.has(id));
  const broken = [...wanted.keys()].filter((id) => pairIds(id).some((half) => !registered.has(half)));
  const unregister = [...stale, ...broken.flatMap(pairIds).filter((id) => registered.has(id))];
  if (unregister.length) await browser.scripting.unregisterContentScripts({ ids: unregister });
  if (broken.length === 0) return;
  await browser.scripting.registerContentScripts(
    broken.flatMap((id) => {
      const match = wanted.get(id)!;
      return [
        // Isolated world: UI, session pick-up, messaging with the worker.
        {
          id,
          matches: [match],
          js: ['content-scripts/cloudreve.js'],
          runAt: 'document_idle' as const,
          persistAcrossSessions: true,
        },
        // Page world: the exact selection from the app's Redux store (docs/cloudreve-web-ui.md#redux-store)
        // and the hint that the app's session changed.
        {
          id: mainWorldId(id),
          matches: [match],
          js: ['content-scripts/cloudreve-main.js'],
          runAt: 'document_idle' as const,
          world: 'MAIN' as const,
          persistAcrossSessions: true,
        },
      ];
    }),
  );
}

const mainWorldId = (id: string) => `${id}:main`;
/** The ids of an origin's two registrations: the isolated-world script and the page-world one. */
const pairIds = (id: string) => [id, mainWorldId(id)];

export async function hasHostPermission(origin: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [originPattern(origin)] });
}
