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
  const registered = await browser.scripting.getRegisteredContentScripts();
  const stale = registered.map((script) => script.id).filter((id) => id.startsWith(PREFIX) && !wanted.has(id));
  if (stale.length) await browser.scripting.unregisterContentScripts({ ids: stale });
  const present = new Set(registered.map((script) => script.id));
  const missing = [...wanted].filter(([id]) => !present.has(id));
  if (missing.length === 0) return;
  await browser.scripting.registerContentScripts(
    missing.flatMap(([id, match]) => [
      // Isolated world: UI, session pick-up, messaging with the worker.
      {
        id,
        matches: [match],
        js: ['content-scripts/cloudreve.js'],
        runAt: 'document_idle' as const,
        persistAcrossSessions: true,
      },
      // Page world: reads the exact selection from the app's Redux store (docs/cloudreve-web-ui.md#redux-store).
      {
        id: `${id}:main`,
        matches: [match],
        js: ['content-scripts/cloudreve-main.js'],
        runAt: 'document_idle' as const,
        world: 'MAIN' as const,
        persistAcrossSessions: true,
      },
    ]),
  );
}

export async function hasHostPermission(origin: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [originPattern(origin)] });
}
