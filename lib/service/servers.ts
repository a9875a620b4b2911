/**
 * Connecting servers: detect what answers at a URL (docs/cloudreve-api.md#detecting-a-server),
 * sign in, read the account's group permissions, and adopt the session the
 * signed-in page holds. Each server's credentials stay bound to its origin.
 */
import type { LoginResult, TokenPair } from '../cloudreve/auth';
import { createCloudreveClient, type CloudreveClient } from '../cloudreve/client';
import { provisionDavAccount } from '../cloudreve/dav-accounts';
import { decodePermissions } from '../cloudreve/permissions';
import { detectCloudreve, getMe } from '../cloudreve/site';
import type { User } from '../cloudreve/types';
import { AppError, isAppError } from '../errors';
import type { LoginReply } from '../messaging/protocol';
import type { ServerRegistry } from '../servers/registry';
import { normalizeOrigin, pageSessionState, toView, type ServerRecord, type ServerView } from '../servers/types';
import { detectDav } from '../webdav/detect';
import type { Connections } from './connections';

export interface ServerServiceDeps {
  registry: ServerRegistry;
  connections: Connections;
  /** Whether the user granted host access to `origin` (asked for at runtime by the options page). */
  hasHostPermission(origin: string): Promise<boolean>;
  fetch?: typeof fetch;
  now?: () => number;
  newId?: () => string;
}

export function accountOf(user: User): Pick<ServerRecord, 'account' | 'permissions'> {
  const permissions = decodePermissions(user.group?.permission);
  return {
    account: { id: user.id, email: user.email ?? '', nickname: user.nickname, group: user.group?.name },
    permissions: {
      archiveTask: permissions.archiveTask,
      archiveDownload: permissions.archiveDownload,
      webdav: permissions.webdav,
    },
  };
}

/** The account `client` is signed in as; undefined when the server says the session is over (401/40020). */
async function signedInUser(client: CloudreveClient): Promise<User | undefined> {
  try {
    return await getMe(client);
  } catch (error) {
    if (isAppError(error) && error.code === 'sign-in-required') return undefined;
    throw error;
  }
}

export function createServerService(deps: ServerServiceDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const fetcher: typeof fetch = deps.fetch ?? ((input, init) => fetch(input, init));

  async function requireHostPermission(origin: string) {
    if (!(await deps.hasHostPermission(origin))) {
      throw new AppError('host-permission-missing', `Access to ${origin} has not been granted`, { origin });
    }
  }

  async function view(record: ServerRecord): Promise<ServerView> {
    return toView(record, await deps.hasHostPermission(record.origin));
  }

  /** Reads the account and permissions with the current token; marks "sign in again" on 401/40020. */
  async function refreshAccount(serverId: string): Promise<ServerRecord> {
    const user = await signedInUser((await deps.connections.cloudreve(serverId)).client);
    return deps.registry.update(serverId, () =>
      user ? { ...accountOf(user), authState: 'signed-in' } : { authState: 'sign-in-required' },
    );
  }

  /** A client acting with `token` (the page's session: the server says whose it is). */
  const clientWith = (origin: string, token: TokenPair) =>
    createCloudreveClient({ origin, fetch: fetcher, getAccessToken: async () => token.access_token });

  /** The Cloudreve server of `origin`, if one is connected. */
  async function cloudreveForOrigin(origin: string): Promise<ServerRecord | undefined> {
    return (await deps.registry.findByOrigin(origin)).find((server) => server.kind === 'cloudreve');
  }

  async function afterLogin(serverId: string, result: LoginResult) {
    if (result.kind === 'two-factor') return { kind: 'two-factor', sessionId: result.sessionId } as LoginReply;
    const record = await deps.registry.update(serverId, () => ({
      ...accountOf(result.user),
      authState: 'signed-in',
      tokenFrom: 'options',
    }));
    return { kind: 'signed-in', server: await view(record) } as LoginReply;
  }

  return {
    async list(): Promise<ServerView[]> {
      return Promise.all((await deps.registry.list()).map(view));
    },

    async addCloudreve(url: string): Promise<ServerView> {
      const origin = normalizeOrigin(url);
      await requireHostPermission(origin);
      const existing = await cloudreveForOrigin(origin);
      if (existing) return view(existing);
      const detected = await detectCloudreve(origin, fetcher);
      if (detected.kind === 'v3') {
        throw new AppError('cloudreve-v3-unsupported', `Cloudreve ${detected.version} is not supported`, {
          version: detected.version,
        });
      }
      if (detected.kind === 'none') {
        throw new AppError('not-cloudreve', `No Cloudreve v4 answers at ${origin}`, { origin });
      }
      const record: ServerRecord = {
        id: newId(),
        origin,
        kind: 'cloudreve',
        label: new URL(origin).host,
        addedAt: now(),
        version: detected.version,
        pro: detected.pro,
        authState: 'sign-in-required',
      };
      await deps.registry.add(record);
      return view(record);
    },

    async addDav(input: { url: string; username: string; password: string }): Promise<ServerView> {
      const url = new URL(input.url).href;
      const origin = normalizeOrigin(url);
      await requireHostPermission(origin);
      const detected = await detectDav(url, input, fetcher);
      const record: ServerRecord = {
        id: newId(),
        origin,
        kind: 'webdav',
        label: `${input.username} @ ${new URL(url).host}`,
        addedAt: now(),
        dav: {
          url,
          username: input.username,
          password: input.password,
          flavor: detected.flavor,
          readOnly: detected.readOnly,
        },
      };
      await deps.registry.add(record);
      return view(record);
    },

    /**
     * Gives a signed-in Cloudreve server the extension's own WebDAV account, so the
     * browse page can use it like any WebDAV server. The group needs `webdav` (docs/cloudreve-api.md#webdav-endpoint).
     */
    async provisionDav(serverId: string): Promise<ServerView> {
      const server = await deps.registry.get(serverId);
      if (server.kind !== 'cloudreve') throw new AppError('internal', `${server.label} is not a Cloudreve server`);
      await requireHostPermission(server.origin);
      const fresh = await refreshAccount(serverId);
      if (fresh.authState !== 'signed-in') throw new AppError('sign-in-required', `Sign in to ${server.label} first`);
      if (!fresh.permissions?.webdav) {
        throw new AppError(
          'webdav-not-allowed',
          `The group of ${fresh.account?.email ?? 'this account'} has no WebDAV`,
        );
      }
      const { client } = await deps.connections.cloudreve(serverId);
      const dav = await provisionDavAccount(client, { origin: server.origin, email: fresh.account?.email ?? '' });
      return view(await deps.registry.update(serverId, () => ({ dav })));
    },

    async remove(serverId: string): Promise<void> {
      await deps.registry.remove(serverId);
      deps.connections.forget(serverId);
    },

    async test(serverId: string): Promise<ServerView> {
      const server = await deps.registry.get(serverId);
      await requireHostPermission(server.origin);
      if (server.kind === 'webdav') {
        const detected = await detectDav(server.dav!.url, server.dav!, fetcher);
        return view(
          await deps.registry.update(serverId, (r) => ({
            dav: { ...r.dav!, flavor: detected.flavor, readOnly: detected.readOnly },
          })),
        );
      }
      const detected = await detectCloudreve(server.origin, fetcher);
      if (detected.kind !== 'v4')
        throw new AppError('not-cloudreve', `No Cloudreve v4 answers at ${server.origin} any more`);
      await deps.registry.update(serverId, () => ({ version: detected.version, pro: detected.pro }));
      return view(await refreshAccount(serverId));
    },

    async getCaptcha(serverId: string) {
      const { tokens } = await deps.connections.cloudreve(serverId);
      const { captchaRequired } = await tokens.getLoginConfig();
      if (!captchaRequired) return { required: false };
      const { image, ticket } = await tokens.getCaptcha();
      return { required: true, image, ticket };
    },

    async login(input: { serverId: string; email: string; password: string; captcha?: string; ticket?: string }) {
      const { tokens } = await deps.connections.cloudreve(input.serverId);
      const { serverId, ...credentials } = input;
      return afterLogin(serverId, await tokens.login(credentials));
    },

    async loginTwoFactor(input: { serverId: string; sessionId: string; otp: string }) {
      const { tokens } = await deps.connections.cloudreve(input.serverId);
      return afterLogin(input.serverId, await tokens.loginTwoFactor(input.sessionId, input.otp));
    },

    async signOut(serverId: string): Promise<void> {
      const { tokens } = await deps.connections.cloudreve(serverId);
      await tokens.signOut();
      await deps.registry.update(serverId, () => ({
        pageToken: undefined,
        pageAccount: undefined,
        authState: 'sign-in-required',
      }));
    },

    /**
     * The content script on `origin` reports the page's session. It only ever
     * updates servers of that same origin, so a page cannot plant a token for
     * another server. The server says whose session it is (a page could write
     * anything into its localStorage): an invalid one counts as no session.
     * A session of another account than ours is never adopted silently: it is
     * kept as the page's, and the page's dialog asks the user (`usePageAccount`).
     * Only while the extension holds no session of its own does the page's
     * become ours (signing in on the page is how most users connect). Answers whether the page's
     * account (or ours) changed, so the pages showing them are told.
     */
    async adoptPageSession(origin: string, token: TokenPair | null): Promise<boolean> {
      let changed = false;
      for (const server of await deps.registry.findByOrigin(origin)) {
        if (server.kind !== 'cloudreve') continue;
        if (token !== null && server.pageToken?.access_token === token.access_token) continue;
        const user = token && (await signedInUser(clientWith(server.origin, token)));
        if (!token || !user) {
          changed ||= server.pageAccount !== undefined;
          await deps.registry.update(server.id, () => ({ pageToken: undefined, pageAccount: undefined }));
          continue;
        }
        changed = true;
        const { account: pageAccount } = accountOf(user);
        const updated = await deps.registry.update(server.id, () => ({ pageToken: token, pageAccount }));
        const same = pageSessionState(updated) === 'same';
        if (!server.token || (same && server.authState !== 'signed-in')) {
          // No session of ours yet, or our own account's fresher one: nothing is replaced.
          const { tokens } = await deps.connections.cloudreve(server.id);
          await tokens.setToken(token);
          await deps.registry.update(server.id, () => ({ tokenFrom: server.token ? server.tokenFrom : 'page' }));
          await refreshAccount(server.id).catch(() => undefined);
        }
      }
      return changed;
    },
    /** The user chose, in the page's dialog, to let the extension use the page's account from now on. */
    async usePageAccount(origin: string): Promise<void> {
      const server = await cloudreveForOrigin(origin);
      if (!server?.pageToken || !server.pageAccount) throw new AppError('page-signed-out', 'The page has no session');
      const { tokens } = await deps.connections.cloudreve(server.id);
      // The account first: running jobs of the previous one stop before its token is replaced
      // (lib/service/job-accounts.ts createAccountGuard).
      await deps.registry.update(server.id, () => ({ account: server.pageAccount, tokenFrom: 'page' }));
      await tokens.setToken(server.pageToken);
      await refreshAccount(server.id);
    },
    cloudreveForOrigin,
    view,
  };
}

export type ServerService = ReturnType<typeof createServerService>;
