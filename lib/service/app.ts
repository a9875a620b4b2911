/**
 * The service worker's composition root: builds every service once and
 * connects them. `entrypoints/background.ts` only registers listeners.
 */
import { browser } from '#imports';
import { getDownloadUrls } from '../cloudreve/files';
import { baseName } from '../cloudreve/uri';
import { AppError } from '../errors';
import { createJobQueue } from '../jobs/queue';
import { createJobStore } from '../jobs/store';
import { hasJobEnded, type Job } from '../jobs/types';
import type { Handlers } from '../messaging/protocol';
import { createServerRegistry } from '../servers/registry';
import { DEFAULT_SETTINGS, loadSettings, settingsItem } from '../settings';
import { createOpfsSpool } from '../spool/opfs';
import { createArchiveService } from './archive';
import { createBadgeAndNotifications, jobIdOfNotification, notificationTarget } from './badge-and-notifications';
import { createConnections } from './connections';
import { createDownloadDestination } from './download-destination';
import { createDavBrowse } from './dav-browse';
import { createJobsHub } from './hub';
import { createJobIo } from './job-io';
import { createKeepAlive } from './keep-alive';
import { syncPageMenu } from './page-actions';
import { hasHostPermission, syncPageScripts } from './page-scripts';
import { createTaskTracker } from './server-tasks';
import { createServerService } from './servers';
import { createStoredTaskFeed } from './task-feed';

export function createBackgroundApp() {
  const startedAt = Date.now();
  const registry = createServerRegistry();
  const connections = createConnections(registry);
  const davBrowse = createDavBrowse({ registry, connections });
  const store = createJobStore();
  const keepAlive = createKeepAlive();
  const servers = createServerService({ registry, connections, hasHostPermission });
  const badgeAndNotifications = createBadgeAndNotifications({
    notificationsEnabled: async () => (await loadSettings()).notifications,
  });
  const hub = createJobsHub({
    snapshot: async () => ({ jobs: await store.list(), servers: await servers.list() }),
    // The task feed polls the servers only while a page listens (`feed` is set up below, before any page connects).
    onAttach: () => void feed.attach(),
    onDetach: () => feed.detach(),
  });

  async function jobChanged(job: Job) {
    hub.jobChanged(job);
    await badgeAndNotifications.jobsChanged(await store.list(), hasJobEnded(job) ? job : undefined);
  }

  const jobIo = createJobIo({
    connections,
    spoolFor: createOpfsSpool,
    downloadDestination: (job) => createDownloadDestination(job.id),
  });
  const queue = createJobQueue({
    store,
    // A read-only account fails the job before its destination is built: nothing gets written.
    openIo: async (job) => (await davBrowse.assertWritable(job.serverId, job.destination), jobIo.openIo(job)),
    removeSpool: async (job) => (await createOpfsSpool(job.id)).remove(),
    onChange: (job) => void jobChanged(job),
    keepAlive,
  });
  // The tracker and the archive service need each other (Auto's fallback after a failed task).
  const tracker = createTaskTracker({
    store,
    connections,
    keepAlive,
    onChange: (job) => void jobChanged(job),
    onTaskFailed: async (job) => void (await archive.runServerJobLocally(job.id)),
  });
  const archive = createArchiveService({
    registry,
    connections,
    store,
    queue,
    follow: tracker.follow,
    stopOnUnreadable: async () => (await loadSettings()).stopOnUnreadable,
  });

  const feed = createStoredTaskFeed({
    post: (update) => hub.post({ type: 'server-tasks', ...update }),
    async servers() {
      const records = (await registry.list()).filter(
        (record) => record.kind === 'cloudreve' && record.authState !== 'sign-in-required',
      );
      const usable = [];
      for (const record of records) {
        if (!(await hasHostPermission(record.origin))) continue;
        usable.push({ id: record.id, client: (await connections.cloudreve(record.id)).client });
      }
      return usable;
    },
  });

  /** "Run in the browser instead": the server job now names its replacement, so pages drop the offer. */
  async function runLocally(jobId: string) {
    const started = await archive.runServerJobLocally(jobId);
    const replaced = await store.get(jobId);
    if (replaced) hub.jobChanged(replaced);
    return started;
  }

  async function refreshServers() {
    const records = await registry.list();
    await syncPageScripts(records, hasHostPermission);
    await syncPageMenu(records, hasHostPermission);
    hub.serversChanged(await servers.list());
  }

  async function requirePageServer(origin: string) {
    const server = await servers.cloudreveForOrigin(origin);
    if (!server) throw new AppError('forbidden-origin', `${origin} is not a connected Cloudreve server`);
    return server;
  }

  /** Resumes unfinished work (idempotent); with none left, clears the alarm a dead worker may have left. */
  async function resume() {
    await tracker.resume();
    void queue.resume();
    if (!(await store.list()).some((job) => !hasJobEnded(job))) await keepAlive.clearIfIdle();
  }

  const handlers: Handlers = {
    ping: { from: 'any', handle: () => ({ version: browser.runtime.getManifest().version, startedAt }) },
    listJobs: { from: 'extension', handle: () => store.list() },
    startArchive: {
      from: 'extension',
      async handle(_caller, request) {
        const started = await archive.start(request);
        void feed.refresh();
        return started;
      },
    },
    cancelJob: { from: 'extension', handle: (_caller, jobId) => queue.cancel(jobId) },
    retryJob: {
      from: 'extension',
      async handle(_caller, jobId) {
        const job = await store.get(jobId);
        if (job?.kind === 'server') return runLocally(jobId);
        await queue.retry(jobId);
        return { jobId, kind: 'local' };
      },
    },
    runInBrowser: { from: 'extension', handle: (_caller, jobId) => runLocally(jobId) },
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
        await feed.clearFinished(cleared);
        await badgeAndNotifications.jobsChanged(await store.list());
        // Every open page (not only the popup that asked) drops the deleted jobs.
        await hub.resend();
      },
    },
    loadMoreTasks: { from: 'extension', handle: async () => void (await feed.loadMore()) },
    downloadResult: {
      from: 'extension',
      async handle(_caller, { serverId, uri }) {
        const { client } = await connections.cloudreve(serverId);
        const [url] = (await getDownloadUrls(client, [uri])).urls;
        if (!url) throw new AppError('not-found', uri);
        // Name it after the file, not the signed URL; never overwrite a download (platform.md §1).
        const filename = baseName(uri).replace(/[\\/:*?"<>|]/g, '_') || undefined;
        await browser.downloads.download({ url, filename, conflictAction: 'uniquify' });
      },
    },
    listServers: { from: 'extension', handle: () => servers.list() },
    addServer: {
      from: 'extension',
      async handle(_caller, { url }) {
        const view = await servers.addCloudreve(url);
        await refreshServers();
        return view;
      },
    },
    addDavServer: {
      from: 'extension',
      async handle(_caller, input) {
        const view = await servers.addDav(input);
        await refreshServers();
        return view;
      },
    },
    davList: { from: 'extension', handle: (_caller, serverId, path) => davBrowse.list(serverId, path) },
    provisionDav: {
      from: 'extension',
      async handle(_caller, serverId) {
        const view = await servers.provisionDav(serverId);
        await refreshServers();
        return view;
      },
    },
    removeServer: {
      from: 'extension',
      async handle(_caller, serverId) {
        await servers.remove(serverId);
        await refreshServers();
      },
    },
    testConnection: { from: 'extension', handle: (_caller, serverId) => servers.test(serverId) },
    getCaptcha: { from: 'extension', handle: (_caller, serverId) => servers.getCaptcha(serverId) },
    login: {
      from: 'extension',
      async handle(_caller, input) {
        const reply = await servers.login(input);
        await refreshServers();
        return reply;
      },
    },
    loginTwoFactor: {
      from: 'extension',
      async handle(_caller, input) {
        const reply = await servers.loginTwoFactor(input);
        await refreshServers();
        return reply;
      },
    },
    signOut: {
      from: 'extension',
      async handle(_caller, serverId) {
        await servers.signOut(serverId);
        await refreshServers();
      },
    },
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
        if (caller.kind !== 'page') return;
        await servers.adoptPageSession(caller.origin, token);
      },
    },
    getPageContext: {
      from: 'page',
      async handle(caller) {
        if (caller.kind !== 'page') return null;
        const server = await servers.cloudreveForOrigin(caller.origin);
        return server ? { server: await servers.view(server), settings: await loadSettings() } : null;
      },
    },
    archiveFromPage: {
      from: 'page',
      async handle(caller, request) {
        if (caller.kind !== 'page') throw new AppError('forbidden-origin', 'Not a page');
        // The server is the page's own; a page can never name another one.
        const server = await requirePageServer(caller.origin);
        const started = await archive.start({ ...request, serverId: server.id });
        void feed.refresh();
        return started;
      },
    },
  };

  return {
    handlers,
    /** Runs once per worker start: sync page scripts, then resume what a previous worker left. */
    async start() {
      badgeAndNotifications.seen(await store.list());
      await refreshServers().catch(() => undefined);
      await resume();
    },
    resume,
    refreshServers,
    /** A click on a job's notification opens its result folder (or the task list). */
    async notificationClicked(notificationId: string) {
      const jobId = jobIdOfNotification(notificationId);
      if (!jobId) return;
      const job = await store.get(jobId);
      const records = await registry.list();
      const url = notificationTarget(job, (id) => records.find((record) => record.id === id)?.origin);
      await browser.tabs.create({ url });
      await browser.notifications.clear(notificationId);
    },
  };
}
