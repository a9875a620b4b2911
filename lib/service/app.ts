/**
 * The service worker's composition root: builds every service once and
 * connects them; the message handlers live in ./handlers.ts.
 * `entrypoints/background.ts` only registers listeners.
 */
import { browser } from '#imports';
import { createJobQueue } from '../jobs/queue';
import { createJobStore } from '../jobs/store';
import { hasJobEnded, type Job } from '../jobs/types';
import { createServerRegistry } from '../servers/registry';
import { accountRef, type ServerRecord } from '../servers/types';
import { loadSettings } from '../settings';
import { unownedSpools } from '../jobs/spool-owners';
import { createOpfsSpool, listOpfsSpools, removeOpfsSpools } from '../spool/opfs';
import { createArchiveService } from './archive';
import { createBadgeAndNotifications, jobIdOfNotification, notificationTarget } from './badge-and-notifications';
import { createConnections } from './connections';
import { createDavBrowse } from './dav-browse';
import { createDownloadDestination } from './download-destination';
import { createHandlers } from './handlers';
import { createJobsHub } from './hub';
import { createJobIo } from './job-io';
import { createAccountGuard, fillJobAccounts } from './job-accounts';
import { createJobTrace } from './job-trace';
import { createKeepAlive } from './keep-alive';
import { syncPageMenu } from './page-actions';
import { hasHostPermission, syncPageScripts } from './page-scripts';
import { createPreviews } from './previews';
import { createServerService } from './servers';
import { createSpeeds } from './speeds';
import { createTaskWatcher, hiddenTasksItem } from './task-watcher';

export function createBackgroundApp() {
  const startedAt = Date.now();
  const registry = createServerRegistry();
  const connections = createConnections(registry);
  const davBrowse = createDavBrowse({ registry, connections });
  const store = createJobStore();
  const accountGuard = createAccountGuard(registry);
  const previews = createPreviews();
  const speeds = createSpeeds();
  const keepAlive = createKeepAlive();
  const servers = createServerService({ registry, connections, hasHostPermission });
  const badgeAndNotifications = createBadgeAndNotifications({
    notificationsEnabled: async () => (await loadSettings()).notifications,
  });
  const watched = async ({ id, account }: ServerRecord) => ({
    id,
    account: accountRef(account),
    client: (await connections.cloudreve(id)).client,
  });
  const watcher = createTaskWatcher({
    store,
    keepAlive,
    hidden: { load: () => hiddenTasksItem.getValue(), save: (keys) => hiddenTasksItem.setValue(keys) },
    client: async (serverId) => watched(await registry.get(serverId)),
    // The feed lists the signed-in Cloudreve servers whose host access the user granted.
    async servers() {
      const usable = [];
      for (const record of await registry.list()) {
        if (record.kind !== 'cloudreve' || record.authState === 'sign-in-required') continue;
        if (await hasHostPermission(record.origin)) usable.push(await watched(record));
      }
      return usable;
    },
  });
  // The watcher polls for the popup's feed only while a page listens.
  const hub = createJobsHub({
    snapshot: async () => ({ jobs: await store.list(), servers: await servers.list() }),
    onAttach: () => void watcher.attach(),
    onDetach: () => watcher.detach(),
  });
  const jobChanged = async (job: Job) => {
    hub.jobChanged(job);
    await badgeAndNotifications.jobsChanged(await store.list(), hasJobEnded(job) ? job : undefined);
    if (hasJobEnded(job)) await speeds.jobEnded(job);
  };
  watcher.on('job', (job) => void jobChanged(job));
  watcher.on('feed', (update) => hub.post({ type: 'server-tasks', ...update }));

  const jobIo = createJobIo({
    connections,
    spoolFor: createOpfsSpool,
    downloadDestination: (job) => createDownloadDestination(job.id),
    // Every request of a job goes out only while its server is signed in with the job's account.
    beforeRequest: (job) => accountGuard.check(job),
  });
  const queue = createJobQueue({
    store,
    // A read-only account fails the job before its destination is built: nothing gets written.
    openIo: async (job) => {
      await accountGuard.ready();
      accountGuard.check(job);
      await davBrowse.assertWritable(job.serverId, job.destination);
      return jobIo.openIo(job);
    },
    removeSpool: async (job) => (await createOpfsSpool(job.id)).remove(),
    onChange: (job) => void jobChanged(job),
    keepAlive,
    trace: createJobTrace(),
  });
  const archive = createArchiveService({
    registry,
    connections,
    store,
    queue,
    tasks: watcher,
    previews,
    speeds,
    stopOnUnreadable: async () => (await loadSettings()).stopOnUnreadable,
  });

  async function refreshServers() {
    const records = await registry.list();
    await syncPageScripts(records, hasHostPermission);
    await syncPageMenu(records, hasHostPermission);
    hub.serversChanged(await servers.list());
    // An account may be back: its unfinished server tasks are followed again (the watcher skips others').
    await watcher.resume();
  }

  /** Removes every OPFS spool no job owns any more (issue 13 #6); best effort. */
  async function collectSpools() {
    try {
      await removeOpfsSpools(unownedSpools(await listOpfsSpools(), await store.list()));
    } catch {
      // OPFS unavailable or busy: the next start-up or "Clear finished" tries again.
    }
  }

  /** Resumes unfinished work (idempotent); with none left, clears the alarm a dead worker may have left. */
  async function resume() {
    await collectSpools();
    await watcher.resume();
    void queue.resume();
    if (!(await store.list()).some((job) => !hasJobEnded(job))) await keepAlive.clearIfIdle();
  }

  const handlers = createHandlers({
    startedAt,
    registry,
    store,
    queue,
    archive,
    watcher,
    servers,
    connections,
    davBrowse,
    previews,
    speeds,
    refreshServers,
    // The server job now names its replacement, so pages drop the offer.
    async runInBrowser(jobId) {
      const started = await archive.runServerJobInBrowser(jobId);
      const replaced = await store.get(jobId);
      if (replaced) hub.jobChanged(replaced);
      return started;
    },
    // Every open page (not only the popup that asked) drops the deleted jobs.
    async jobsCleared() {
      // Failed jobs kept their spool for a retry; with the record gone, nothing owns it.
      await collectSpools();
      await badgeAndNotifications.jobsChanged(await store.list());
      await hub.resend();
    },
  });

  return {
    handlers,
    /** Runs once per worker start: sync page scripts, then resume what a previous worker left. */
    async start() {
      await fillJobAccounts(store, registry).catch(() => undefined);
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
