/**
 * Per-server clients for the service worker: one token manager per Cloudreve
 * server (so refreshes are single-flight across every caller), a Cloudreve
 * client bound to that server's origin, and a WebDAV client bound to its DAV
 * base URL. Credentials of a server are only ever sent to that server.
 */
import { createTokenManager, type TokenManager } from '../cloudreve/auth';
import { createCloudreveClient, type CloudreveClient } from '../cloudreve/client';
import { AppError } from '../errors';
import type { ServerRegistry } from '../servers/registry';
import { pageSessionState } from '../servers/types';
import { createDavClient, type DavClient } from '../webdav/client';

export interface CloudreveConnection {
  client: CloudreveClient;
  tokens: TokenManager;
}

export type Connections = ReturnType<typeof createConnections>;

export type FetchWrapper = (fetcher: typeof fetch) => typeof fetch;

export function createConnections(
  registry: ServerRegistry,
  options: { fetch?: typeof fetch; now?: () => number } = {},
) {
  const managers = new Map<string, TokenManager>();
  // Bound so browsers don't throw "Illegal invocation" when fetch is called detached.
  const baseFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  function tokensFor(serverId: string, origin: string): TokenManager {
    let manager = managers.get(serverId);
    if (!manager) {
      manager = createTokenManager({
        origin,
        fetch: options.fetch,
        now: options.now,
        store: {
          load: async () => (await registry.get(serverId)).token,
          save: async (token) => void (await registry.update(serverId, () => ({ token }))),
        },
        // The signed-in page may hold a newer session than ours, used only when the server
        // said it is our own account's (lib/service/servers.ts adoptPageSession).
        source: async () => {
          const server = await registry.get(serverId);
          return pageSessionState(server) === 'same' ? server.pageToken : undefined;
        },
        onStateChange: (authState) => void registry.update(serverId, () => ({ authState })).catch(() => undefined),
      });
      managers.set(serverId, manager);
    }
    return manager;
  }

  return {
    /** `wrapFetch` lets a job send its requests through its own retries (lib/net/retrying-fetch.ts). */
    async cloudreve(serverId: string, wrapFetch?: FetchWrapper): Promise<CloudreveConnection> {
      const server = await registry.get(serverId);
      if (server.kind !== 'cloudreve') throw new AppError('internal', `${server.label} is not a Cloudreve server`);
      const tokens = tokensFor(server.id, server.origin);
      const client = createCloudreveClient({
        origin: server.origin,
        fetch: wrapFetch ? wrapFetch(baseFetch) : options.fetch,
        getAccessToken: () => tokens.getAccessToken(),
      });
      return { client, tokens };
    },
    /**
     * A client of the server that sends no token at all: what a visitor of a share link who is not
     * signed in reads with (docs/cloudreve-api.md#share-links, "Anonymous visitors").
     */
    async anonymous(serverId: string, wrapFetch?: FetchWrapper): Promise<CloudreveClient> {
      const server = await registry.get(serverId);
      if (server.kind !== 'cloudreve') throw new AppError('internal', `${server.label} is not a Cloudreve server`);
      return createCloudreveClient({
        origin: server.origin,
        fetch: wrapFetch ? wrapFetch(baseFetch) : options.fetch,
        getAccessToken: async () => undefined,
      });
    },
    async dav(serverId: string, wrapFetch?: FetchWrapper): Promise<DavClient> {
      const server = await registry.get(serverId);
      if (!server.dav) throw new AppError('internal', `${server.label} has no WebDAV account`);
      if (new URL(server.dav.url).origin !== server.origin) {
        throw new AppError('forbidden-origin', `The WebDAV address of ${server.label} is on another origin`);
      }
      return createDavClient({
        ...server.dav,
        fetch: wrapFetch ? wrapFetch(baseFetch) : options.fetch,
        // Left out of every listing and archive (lib/webdav/client.ts memberName); the worker's log says so.
        onRefused: (href, folder) => console.warn(`${server.label}: ignored "${href}" listed in "${folder}/"`),
      });
    },
    /** Forgets cached state, e.g. after the server was removed or signed in anew. */
    forget(serverId: string): void {
      managers.delete(serverId);
    },
  };
}
