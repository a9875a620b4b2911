/**
 * What the worker answers to each message of the protocol (lib/messaging/protocol.ts),
 * given the services app.ts built. Each handler states who may call it; a `page`
 * handler's caller carries the page's origin, which names the server: a page
 * never names one itself.
 */
import { browser } from '#imports';
import { getDownloadUrls, getInfo, walkSelection } from '../cloudreve/files';
import { createChildFolder, listChildFolders } from '../cloudreve/folders';
import { expandShareRoots, isShareRoot, isShareUri } from '../cloudreve/share';
import { baseName } from '../cloudreve/uri';
import { AppError } from '../errors';
import type { JobQueue } from '../jobs/queue';
import type { JobStore } from '../jobs/store';
import { hasJobEnded } from '../jobs/types';
import type { Caller, Handlers } from '../messaging/protocol';
import type { ServerRegistry } from '../servers/registry';
import { pageSessionState } from '../servers/types';
import { DEFAULT_SETTINGS, loadLastChoice, loadSettings, saveLastChoice, settingsItem } from '../settings';
import type { ArchiveService } from './archive';
import type { Connections } from './connections';
import type { DavBrowse } from './dav-browse';
import { checkDownloadUrl } from './download-url';
import { requireAccount, requireJobAccount } from './job-accounts';
import { gatherPreflightFacts } from './preflight-facts';
import type { Previews } from './previews';
import type { ServerService } from './servers';
import type { Speeds } from './speeds';
import type { TaskWatcher } from './task-watcher';

export interface HandlerDeps {
  startedAt: number;
  registry: Pick<ServerRegistry, 'list' | 'get'>;
  store: JobStore;
  queue: JobQueue;
  archive: ArchiveService;
  watcher: TaskWatcher;
  servers: ServerService;
  connections: Connections;
  davBrowse: DavBrowse;
  previews: Previews;
  speeds: Speeds;
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
  const { store, queue, archive, watcher, servers, connections, davBrowse, previews, speeds } = deps;

  /** A change to the servers (added, signed in, removed…), then the pages and page scripts follow it. */
  const thenRefresh =
    <A extends unknown[], R>(act: (...args: A) => Promise<R>) =>
    async (_caller: Caller, ...args: A): Promise<R> => {
      const result = await act(...args);
      await deps.refreshServers();
      return result;
    };

  /** The connected Cloudreve server of the page's origin (previews belong to it). */
  async function pageServer(origin: string) {
    const server = await servers.cloudreveForOrigin(origin);
    if (!server) throw new AppError('forbidden-origin', `${origin} is not a connected Cloudreve server`);
    return server;
  }

  /** The page's server, when the page is signed in (the server said so) with the account the extension uses. */
  async function requirePageSession(origin: string) {
    const server = await pageServer(origin);
    const state = pageSessionState(server);
    if (state === 'none') throw new AppError('page-signed-out', `Nobody is signed in on ${origin}`);
    if (state === 'other') throw new AppError('account-mismatch', 'The page and the extension use different accounts');
    return server;
  }

  /** The page's signed-in server and a client acting as its account; `uri` must be a Cloudreve URI. */
  async function pageClient(origin: string, ...uris: string[]) {
    const server = await requirePageSession(origin);
    if (uris.length === 0 || uris.some((uri) => typeof uri !== 'string' || !uri.startsWith('cloudreve://'))) {
      throw new AppError('invalid-uri', uris.join(', '));
    }
    return { server, client: (await connections.cloudreve(server.id)).client };
  }

  /**
   * A client to read `uris` for the page: the extension's account while the page is signed in with
   * it; none at all (no token) while nobody is signed in on the page and every URI is inside a share
   * link, which anonymous visitors may read (docs/cloudreve-api.md#share-links).
   */
  async function pageReader(origin: string, uris: string[]) {
    const server = await pageServer(origin);
    if (pageSessionState(server) === 'none' && uris.length > 0 && uris.every(isShareUri)) {
      return { server, client: await connections.anonymous(server.id), anonymous: true };
    }
    return { ...(await pageClient(origin, ...uris)), anonymous: false };
  }

  async function pageContext(origin: string) {
    const server = await servers.cloudreveForOrigin(origin);
    if (!server) return null;
    const lastChoice = await loadLastChoice(server.origin);
    return { server: await servers.view(server), settings: await loadSettings(), ...(lastChoice && { lastChoice }) };
  }

  /** The job, when the extension is signed in with its account; `other-account` otherwise (./job-accounts.ts). */
  async function ownJob(jobId: string) {
    const job = await store.get(jobId);
    if (job) await requireJobAccount(deps.registry, job);
    return job;
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
    cancelJob: { from: 'extension', handle: async (_caller, jobId) => (await ownJob(jobId), queue.cancel(jobId)) },
    retryJob: {
      from: 'extension',
      async handle(_caller, jobId) {
        const job = await ownJob(jobId);
        if (job?.kind === 'server') return deps.runInBrowser(jobId);
        await queue.retry(jobId);
        return { jobId, kind: 'browser' };
      },
    },
    runInBrowser: {
      from: 'extension',
      handle: async (_caller, jobId) => (await ownJob(jobId), deps.runInBrowser(jobId)),
    },
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
      async handle(_caller, { serverId, uri, account }) {
        // The file is the named account's: another account's token would not find it, or find another file.
        requireAccount(await deps.registry.get(serverId), account);
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
    davCreateFolder: {
      from: 'extension',
      handle: (_caller, serverId, parent, name) => davBrowse.createFolder(serverId, parent, name),
    },
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
    reportPageSession: {
      from: 'page',
      async handle(caller, token) {
        // The options page and popup show who the page is signed in as: they follow at once.
        if (await servers.adoptPageSession(caller.origin, token)) await deps.refreshServers();
      },
    },
    getPageContext: { from: 'page', handle: (caller) => pageContext(caller.origin) },
    describeSelection: {
      from: 'page',
      async handle(caller, uris) {
        const { client } = await pageReader(caller.origin, uris);
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
    listFolders: {
      from: 'page',
      async handle(caller, folderUri) {
        const { client } = await pageClient(caller.origin, folderUri);
        const folders = await listChildFolders(client, folderUri);
        return { folders: folders.map(({ name, uri }) => ({ name, location: uri })) };
      },
    },
    createFolder: {
      from: 'page',
      async handle(caller, parentUri, name) {
        const { client } = await pageClient(caller.origin, parentUri);
        const { uri, name: created } = await createChildFolder(client, parentUri, name);
        return { name: created, location: uri };
      },
    },
    startPreview: {
      from: 'page',
      async handle(caller, uris) {
        const { server, client } = await pageReader(caller.origin, uris);
        // A whole share is walked as the items it holds, as the job will be (lib/service/archive.ts).
        const sources = uris.some(isShareRoot) ? await expandShareRoots(client, uris) : uris;
        return previews.start(server.id, sources, (signal, onUnreadable) =>
          walkSelection(client, sources, signal, onUnreadable),
        );
      },
    },
    previewStatus: {
      from: 'page',
      handle: async (caller, previewId) => previews.status(previewId, (await pageServer(caller.origin)).id),
    },
    cancelPreview: {
      from: 'page',
      handle: async (caller, previewId) => previews.cancel(previewId, (await pageServer(caller.origin)).id),
    },
    preflightFacts: {
      from: 'page',
      async handle(caller, folderUri) {
        const { client, anonymous } = await pageReader(caller.origin, [folderUri]);
        // An anonymous visitor has no drive: only this machine's facts count.
        return gatherPreflightFacts(anonymous ? undefined : client, folderUri, speeds);
      },
    },
    archiveFromPage: {
      from: 'page',
      async handle(caller, request) {
        // The server is the page's own; a page can never name another one. Its user must be
        // signed in on the page with the account the extension acts as.
        const { server, anonymous } = await pageReader(caller.origin, request.sources);
        // Signed out on the page: the share's files, read without a token, saved to this computer.
        if (anonymous) return start({ ...request, serverId: server.id, anonymous, mode: 'browser' });
        const started = await start({ ...request, serverId: server.id, anonymous: false });
        // Prefilled the next time the dialog opens on this server (issue 15 "Remember").
        const { mode, compression, destination, destinationChosen } = request;
        if (destination.kind === 'cloudreve' && compression) {
          const folder = destinationChosen ? { folderUri: destination.folderUri } : {};
          await saveLastChoice(server.origin, { mode, compression, ...folder }).catch(() => undefined);
        }
        return started;
      },
    },
  };
}
