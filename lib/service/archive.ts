/**
 * Starting an archive: server first (`POST /workflow/archive`), the in-browser
 * engine when the server cannot or the user asks for it (brief: "Server
 * first"; docs/cloudreve-api.md#group-permissions). Every start is recorded as a job.
 */
import { MIN_PART_BYTES, planParts } from '../archive/part-plan';
import { expandShareRoots, isShareRoot, isShareUri } from '../cloudreve/share';
import { createArchiveTaskNoClobber } from '../cloudreve/workflow';
import { AppError, isAppError, serializeError } from '../errors';
import type { JobQueue } from '../jobs/queue';
import type { JobStore } from '../jobs/store';
import { MAX_REPORTED, queuedBrowserJob, type BrowserJob, type ServerJob, type SourceRoute } from '../jobs/types';
import type { ServerRegistry } from '../servers/registry';
import { accountRef } from '../servers/types';
import { requireJobAccount } from './job-accounts';
import type { Connections } from './connections';
import type { Previews } from './previews';
import type { Speeds } from './speeds';
import type { TaskWatcher } from './task-watcher';
import type { ArchiveRequest, ArchiveStarted } from '../messaging/payloads';

export interface ArchiveServiceDeps {
  registry: ServerRegistry;
  connections: Connections;
  store: JobStore;
  queue: JobQueue;
  /** Follows server tasks; a followed task that fails is made in the browser instead (Auto). */
  tasks: Pick<TaskWatcher, 'follow' | 'on'>;
  /** The setting "stop on the first file that can't be read" (off: such files are skipped and listed). */
  stopOnUnreadable?: () => Promise<boolean>;
  /** The dialog's previews: a job started from one takes its walked entries (no second walk). */
  previews?: Pick<Previews, 'take' | 'bytesOf'>;
  speeds?: Pick<Speeds, 'serverJobStarted'>;
  now?: () => number;
  newId?: () => string;
}

/** Entries written to the job store per transaction (as the engine's own listing does). */
const ADOPT_BATCH = 500;

const DEFAULT_COMPRESSION = { mode: 'auto', level: 6 } as const;

export function validateRequest(request: ArchiveRequest): void {
  if (request.sources.length === 0) throw new AppError('selection-empty', 'Nothing is selected');
  const { split } = request;
  if (split !== undefined && split !== 'destination-limit' && !(Number.isSafeInteger(split) && split >= MIN_PART_BYTES))
    throw new AppError('invalid-split', `${String(split)} is not a part size`);
  const name = request.name.trim();
  if (!name || /[/\\]/.test(name) || name === '.' || name === '..') {
    throw new AppError('invalid-name', `"${request.name}" cannot be used as a file name`);
  }
}

export function createArchiveService(deps: ArchiveServiceDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());

  /**
   * Gives `job` the listing of the preview its request names, as if the engine had
   * listed (lib/jobs/browser-archive.ts `listSelection`): entries in the store, totals
   * and unreadable items in the record. Not with "stop on the first unreadable
   * file", where the engine's own listing must meet it and fail.
   */
  async function adoptPreview(job: BrowserJob, request: ArchiveRequest): Promise<void> {
    // A split into parts as large as the destination takes needs the destination's limit: the engine lists then.
    if (!request.previewId || !deps.previews || job.stopOnUnreadable || job.split?.partBytes === 'destination-limit')
      return;
    const walked = deps.previews.take(request.previewId, request.serverId, request.sources);
    if (!walked || walked.entries.length === 0) return;
    // A split job plans its parts from the listing (lib/jobs/browser-archive.ts does so while it
    // lists); adopted entries skip that listing, so the plan is made here from the same entries.
    const partBytes = job.split?.partBytes;
    if (typeof partBytes === 'number')
      job.split = { partBytes, plan: planParts(walked.entries, partBytes, job.compression), done: [] };
    for (let from = 0; from < walked.entries.length; from += ADOPT_BATCH) {
      await deps.store.appendEntries(job.id, from, walked.entries.slice(from, from + ADOPT_BATCH));
    }
    Object.assign(job, {
      listed: { ...walked.totals },
      unreadable: walked.unreadable.slice(0, MAX_REPORTED),
      renamed: [],
      renamedCount: 0,
    });
    Object.assign(job.progress, { filesTotal: walked.totals.files, bytesTotal: walked.totals.bytes });
  }

  /** Queues a browser job for `request`; `reason` is why the server did not make it (Auto's fallback). */
  async function runInBrowser(
    request: ArchiveRequest,
    route: SourceRoute,
    reason?: unknown,
    extra: Partial<BrowserJob> = {},
  ): Promise<ArchiveStarted> {
    const job = queuedBrowserJob({
      id: newId(),
      serverId: request.serverId,
      name: request.name.trim(),
      sources: [...request.sources],
      destination: request.destination,
      createdAt: now(),
      route,
      compression: request.compression ?? DEFAULT_COMPRESSION,
      ...(reason ? { fallbackReason: serializeError(reason) } : {}),
      stopOnUnreadable: (await deps.stopOnUnreadable?.()) ?? false,
      ...(request.split !== undefined ? { split: { partBytes: request.split } } : {}),
      ...extra,
    });
    await adoptPreview(job, request);
    await deps.queue.enqueue(job);
    if (!(reason instanceof Error)) return { jobId: job.id, kind: 'browser' };
    const code = reason instanceof AppError ? reason.code : undefined;
    return { jobId: job.id, kind: 'browser', fallbackReason: reason.message, ...(code && { fallbackCode: code }) };
  }

  /**
   * A share link's visitor who is not signed in: the share's files are read without a token and the
   * archive is made in the browser and saved to this computer (the server cannot store anything for
   * nobody, and its archive task needs an account).
   */
  async function startAnonymous(asked: ArchiveRequest): Promise<ArchiveStarted> {
    if (!asked.sources.every(isShareUri))
      throw new AppError('invalid-uri', 'Without signing in, only the files of a share link can be archived');
    if (asked.destination.kind !== 'download')
      throw new AppError('page-signed-out', 'Without signing in, the archive can only be saved to this computer');
    const client = await deps.connections.anonymous(asked.serverId);
    const request = { ...asked, mode: 'browser' as const, sources: await expandShareRoots(client, asked.sources) };
    if (request.sources.length === 0) throw new AppError('selection-empty', 'The share holds nothing to archive');
    return runInBrowser(request, 'cloudreve', undefined, { anonymous: true });
  }

  const service = {
    async start(asked: ArchiveRequest): Promise<ArchiveStarted> {
      validateRequest(asked);
      const server = await deps.registry.get(asked.serverId);
      if (asked.anonymous) {
        if (server.kind !== 'cloudreve') throw new AppError('internal', 'Only Cloudreve servers have share links');
        return startAnonymous(asked);
      }
      // A whole share is archived as the items it holds: the server's task refuses a share root (lib/cloudreve/share.ts).
      const request =
        server.kind === 'cloudreve' && asked.sources.some(isShareRoot)
          ? {
              ...asked,
              sources: await expandShareRoots((await deps.connections.cloudreve(server.id)).client, asked.sources),
            }
          : asked;
      if (request.sources.length === 0) throw new AppError('selection-empty', 'The share holds nothing to archive');
      if (request.destination.kind === 'cloudreve' && isShareUri(request.destination.folderUri))
        throw new AppError('invalid-uri', 'A share link cannot hold the archive: choose a folder of your own drive');
      // The account whose token makes the job; only it may act on the job later (./job-accounts.ts).
      const account = server.kind === 'cloudreve' ? accountRef(server.account) : undefined;
      const owned = account && { account };
      // Cloudreve sources are cloudreve:// URIs; plain paths come from the browse page, which reads a
      // Cloudreve server through its /dav account like any WebDAV server (docs/cloudreve-api.md#webdav-endpoint).
      const davPaths = request.sources.every((source) => !source.startsWith('cloudreve://'));
      if (server.kind === 'webdav' || davPaths || request.destination.kind === 'webdav') {
        return runInBrowser(request, 'webdav', undefined, owned);
      }
      // Cloudreve's archive task writes one zip (BE pkg/filemanager/manager/archive.go): parts are made here.
      if (request.split !== undefined) {
        const why =
          request.mode === 'browser'
            ? undefined
            : new AppError('split-in-browser', 'Split archives are made in the browser');
        return runInBrowser(request, 'cloudreve', why, owned);
      }
      if (request.mode === 'browser' || request.destination.kind !== 'cloudreve') {
        if (request.mode === 'server') {
          throw new AppError('internal', 'The server can only store archives on the server');
        }
        return runInBrowser(request, 'cloudreve', undefined, owned);
      }
      const { client } = await deps.connections.cloudreve(server.id);
      try {
        const { task, name, dst } = await createArchiveTaskNoClobber(client, {
          src: request.sources,
          folderUri: request.destination.folderUri,
          name: request.name.trim(),
          // Pro only (a "-pro" version); community servers ignore it anyway (docs/cloudreve-api.md#archive-tasks).
          preferredNodeId: server.pro ? request.preferredNodeId : undefined,
        });
        const at = now();
        const job: ServerJob = {
          id: newId(),
          kind: 'server',
          serverId: server.id,
          ...owned,
          name,
          sources: [...request.sources],
          destination: request.destination,
          createdAt: at,
          updatedAt: at,
          taskId: task.id,
          status: task.status,
          autoFallback: request.mode === 'auto',
          compression: request.compression,
          result: { name, location: dst },
        };
        await deps.store.put(job);
        // The preview counted the bytes the task will read: its time then measures the server's speed.
        const bytes = request.previewId && deps.previews?.bytesOf(request.previewId, server.id);
        if (bytes) await deps.speeds?.serverJobStarted(job.id, bytes);
        deps.tasks.follow(job);
        return { jobId: job.id, kind: 'server' };
      } catch (error) {
        // 40007: the group lacks archive_task. Auto falls back; "On the server" reports it.
        if (request.mode === 'auto' && isAppError(error) && error.code === 'group-not-allowed') {
          return runInBrowser(request, 'cloudreve', error, owned);
        }
        throw error;
      }
    },

    /** "Run in the browser instead" for a server job, or Auto's fallback when its task failed. */
    async runServerJobInBrowser(jobId: string): Promise<ArchiveStarted> {
      const job = await deps.store.get(jobId);
      if (!job || job.kind !== 'server') throw new AppError('not-found', `No server job ${jobId}`);
      await requireJobAccount(deps.registry, job);
      const reason = job.error ? new AppError(job.error.code, job.error.message) : undefined;
      const request: ArchiveRequest = {
        serverId: job.serverId,
        sources: job.sources,
        name: job.name,
        destination: job.destination,
        mode: 'browser',
        compression: job.compression,
      };
      const started = await runInBrowser(request, 'cloudreve', reason, {
        fallbackFor: job.id,
        ...(job.account && { account: job.account }),
      });
      await deps.store.put({ ...job, replacedBy: started.jobId, updatedAt: now() });
      return started;
    },
  };
  deps.tasks.on('taskFailed', async (job) => void (await service.runServerJobInBrowser(job.id)));
  return service;
}

export type ArchiveService = ReturnType<typeof createArchiveService>;
