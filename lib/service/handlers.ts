/**
 * What the worker answers to each message of the protocol (lib/messaging/protocol.ts),
 * given the services app.ts built. Each handler states who may call it; a `page`
 * handler's caller carries the page's origin, which names the server: a page
 * never names one itself.
 */
import { browser } from '#imports';
import { getDownloadUrls, getInfo } from '../cloudreve/files';
import { baseName } from '../cloudreve/uri';
import { AppError } from '../errors';
import type { JobQueue } from '../jobs/queue';
import type { JobStore } from '../jobs/store';
import { hasJobEnded } from '../jobs/types';
import type { Caller, Handlers } from '../messaging/protocol';
import { pageSessionState } from '../servers/types';
import { DEFAULT_SETTINGS, loadSettings, settingsItem } from '../settings';
import type { ArchiveService } from './archive';
import type { Connections } from './connections';
import type { DavBrowse } from './dav-browse';
import { checkDownloadUrl } from './download-url';
import type { ServerService } from './servers';
import type { TaskWatcher } from './task-watcher';

export interface HandlerDeps {
  startedAt: number;
  store: JobStore;
  queue: JobQueue;
  archive: ArchiveService;
  watcher: TaskWatcher;
  servers: ServerService;
  connections: Connections;
  davBrowse: DavBrowse;
  /** "Run in the browser instead" (the replaced server job is pushed to the pages too). */
  runInBrowser(jobId: string): ReturnType<ArchiveService['runServerJobInBrowser']>;
  /** Jobs were deleted: badge and every open page. */
  jobsCleared(): Promise<void>;
  /** Re-registers page scripts and menus and pushes the server list to every page. */
  refreshServers(): Promise<void>;
}

/** The page's dialog names at most 3 items (lib/page/dialog-text.ts); a few more are harmless. */
const DESCRIBED_AT_MOST = 10;

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, queue, archive, watcher, servers, connections, davBrowse } = deps;

  /** A change to the servers (added, signed in, removed…), then the pages and page scripts follow it. */
  const thenRefresh =
    <A extends unknown[], R>(act: (...args: A) => Promise<R>) =>
    async (_caller: Caller, ...args: A): Promise<R> => {
      const result = await act(...args);
      await deps.refreshServers();
      return result;
    };

  /** The page's server, when the page is signed in (the server said so) with the account the extension uses. */
  async function requirePageSession(origin: string) {
    const server = await servers.cloudreveForOrigin(origin);
    if (!server) throw new AppError('forbidden-origin', `${origin} is not a connected Cloudreve server`);
    const state = pageSessionState(server);
    if (state === 'none') throw new AppError('page-signed-out', `Nobody is signed in on ${origin}`);
    if (state === 'other') throw new AppError('account-mismatch', 'The page and the extension use different accounts');
    return server;
  }

  async function pageContext(origin: string) {
    const server = await servers.cloudreveForOrigin(origin);
    return server ? { server: await servers.view(server), settings: await loadSettings() } : null;
  }

  /** Starts an archive; the popup's task list looks again at once. */
  async function start(request: Parameters<ArchiveService['start']>[0]) {
    const started = await archive.start(request);
    void watcher.refresh();
    return started;
  }

  return {
    ping: {
      from: 'any',
      handle: () => ({ version: browser.runtime.getManifest().version, startedAt: deps.startedAt }),
    },
    listJobs: { from: 'extension', handle: () => store.list() },
    startArchive: { from: 'extension', handle: (_caller, request) => start(request) },
    cancelJob: { from: 'extension', handle: (_caller, jobId) => queue.cancel(jobId) },
    retryJob: {
      from: 'extension',
      async handle(_caller, jobId) {
        const job = await store.get(jobId);
        if (job?.kind === 'server') return deps.runInBrowser(jobId);
        await queue.retry(jobId);
        return { jobId, kind: 'browser' };
      },
    },
    runInBrowser: { from: 'extension', handle: (_caller, jobId) => deps.runInBrowser(jobId) },
    clearFinished: {
      from: 'extension',
      async handle() {
        const cleared: string[] = [];
        for (const job of await store.list()) {
          if (!hasJobEnded(job)) continue;
          await store.delete(job.id);
          if (job.kind === 'server') cleared.push(`${job.serverId}/${job.taskId}`);
        }
        // Their server tasks (and finished ones started elsewhere) leave the list too.
        await watcher.clearFinished(cleared);
        await deps.jobsCleared();
      },
    },
    loadMoreTasks: { from: 'extension', handle: async () => void (await watcher.loadMore()) },
    downloadResult: {
      from: 'extension',
      async handle(_caller, { serverId, uri }) {
        const { client } = await connections.cloudreve(serverId);
        const [url] = (await getDownloadUrls(client, [uri])).urls;
        if (!url) throw new AppError('not-found', uri);
        checkDownloadUrl(url, client.origin);
        // Name it after the file, not the signed URL; never overwrite a download (docs/browser-platform.md "Saving a file locally").
        const filename = baseName(uri).replace(/[\\/:*?"<>|]/g, '_') || undefined;
        await browser.downloads.download({ url, filename, conflictAction: 'uniquify' });
      },
    },
    listServers: { from: 'extension', handle: () => servers.list() },
    addServer: { from: 'extension', handle: thenRefresh(({ url }: { url: string }) => servers.addCloudreve(url)) },
    addDavServer: { from: 'extension', handle: thenRefresh(servers.addDav) },
    davList: { from: 'extension', handle: (_caller, serverId, path) => davBrowse.list(serverId, path) },
    provisionDav: { from: 'extension', handle: thenRefresh(servers.provisionDav) },
    removeServer: { from: 'extension', handle: thenRefresh(servers.remove) },
    testConnection: { from: 'extension', handle: (_caller, serverId) => servers.test(serverId) },
    getCaptcha: { from: 'extension', handle: (_caller, serverId) => servers.getCaptcha(serverId) },
    login: { from: 'extension', handle: thenRefresh(servers.login) },
    loginTwoFactor: { from: 'extension', handle: thenRefresh(servers.loginTwoFactor) },
    signOut: { from: 'extension', handle: thenRefresh(servers.signOut) },
    getSettings: { from: 'any', handle: () => loadSettings() },
    saveSettings: {
      from: 'extension',
      async handle(_caller, settings) {
        const merged = { ...DEFAULT_SETTINGS, ...settings };
        await settingsItem.setValue(merged);
        return merged;
      },
    },
    reportPageSession: { from: 'page', handle: (caller, token) => servers.adoptPageSession(caller.origin, token) },
    getPageContext: { from: 'page', handle: (caller) => pageContext(caller.origin) },
    describeSelection: {
      from: 'page',
      async handle(caller, uris) {
        const server = await requirePageSession(caller.origin);
        const { client } = await connections.cloudreve(server.id);
        // What the dialog shows is what the server calls these files, not what the page says.
        // The dialog names only a few; the cap keeps a page from making the worker ask for thousands.
        const shown = uris.slice(0, DESCRIBED_AT_MOST);
        return { names: await Promise.all(shown.map(async (uri) => (await getInfo(client, uri)).name)) };
      },
    },
    usePageAccount: {
      from: 'page',
      async handle(caller) {
        await servers.usePageAccount(caller.origin);
        await deps.refreshServers();
        return pageContext(caller.origin);
      },
    },
    archiveFromPage: {
      from: 'page',
      async handle(caller, request) {
        // The server is the page's own; a page can never name another one. Its user must be
        // signed in on the page with the account the extension acts as.
        const server = await requirePageSession(caller.origin);
        return start({ ...request, serverId: server.id });
      },
    },
  };
}
