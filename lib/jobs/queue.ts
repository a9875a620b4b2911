/**
 * Runs local jobs one at a time, persists their progress, cancels on request,
 * and resumes what a killed service worker left behind. The worker is kept
 * awake while a job runs (platform.md §1: an extension API call every 25 s).
 */
import type { ArchiveDestination, ArchiveSource, ResumeState } from '../archive/types';
import { AppError, serializeError } from '../errors';
import type { Spool } from '../spool/types';
import { runLocalArchive } from './local-archive';
import type { JobStore } from './store';
import type { Job, LocalJob } from './types';
import { hasJobEnded } from './types';

/** What a local job reads from (source), zips into (spool) and uploads to (destination). */
export interface JobIo {
  spool: Spool;
  source: ArchiveSource;
  destination: ArchiveDestination;
}

export interface JobQueueDeps {
  store: JobStore;
  /** Builds the source, destination and spool for a job (needs the server's credentials). */
  openIo(job: LocalJob): Promise<JobIo>;
  /** Removes a job's spool without opening its source and destination. */
  removeSpool(job: LocalJob): Promise<void>;
  /** Every change to a job, already throttled for progress. */
  onChange(job: Job): void;
  /** Keeps the service worker awake until the returned function is called. */
  keepAlive?(): () => void;
  now?: () => number;
}

const BROADCAST_MS = 250;
const PERSIST_MS = 2_000;
const ACTIVE: LocalJob['phase'][] = ['listing', 'zipping', 'uploading', 'verifying'];
const DISCARD_TIMEOUT_MS = 15_000;

export type JobQueue = ReturnType<typeof createJobQueue>;

export function createJobQueue(deps: JobQueueDeps) {
  const now = deps.now ?? Date.now;
  const controllers = new Map<string, AbortController>();
  let pumping: Promise<void> | undefined;

  async function nextQueued(): Promise<LocalJob | undefined> {
    const jobs = await deps.store.list();
    return jobs
      .filter((job): job is LocalJob => job.kind === 'local' && job.phase === 'queued')
      .sort((a, b) => a.createdAt - b.createdAt)[0];
  }

  async function runOne(job: LocalJob) {
    const controller = new AbortController();
    controllers.set(job.id, controller);
    const release = deps.keepAlive?.() ?? (() => undefined);
    let lastBroadcast = 0;
    let lastPersist = now();
    try {
      const io = await deps.openIo(job);
      const final = await runLocalArchive(job, {
        ...io,
        store: deps.store,
        signal: controller.signal,
        now,
        onUpdate(current) {
          const at = now();
          if (at - lastBroadcast >= BROADCAST_MS || hasJobEnded(current)) {
            lastBroadcast = at;
            deps.onChange(structuredClone(current));
          }
          if (at - lastPersist >= PERSIST_MS) {
            lastPersist = at;
            // Progress only: checkpoints and segments are committed by the engine itself,
            // in one transaction with their data, and must never be overwritten by a stale copy.
            void deps.store.patch(current.id, { progress: structuredClone(current.progress), updatedAt: at });
          }
        },
      });
      deps.onChange(final);
    } catch (error) {
      // openIo failed (server removed, signed out…): the job fails with that reason.
      const failed: LocalJob = {
        ...job,
        phase: 'failed',
        updatedAt: now(),
        error: { ...serializeError(error), step: 'starting' },
      };
      await deps.store.put(failed);
      deps.onChange(failed);
    } finally {
      controllers.delete(job.id);
      release();
    }
  }

  /**
   * A job cancelled while no worker runs it (killed mid-upload, not resumed yet) may
   * have left an upload session or a temporary file: undo it, as a running job's own
   * cancel does (issue: "cancel upload sessions on failure or cancel"). Best effort:
   * signed out or offline, the server's own session expiry is the fallback.
   */
  async function discardUpload(job: LocalJob, resume: ResumeState) {
    try {
      const { destination } = await deps.openIo(job);
      await destination.discard?.(resume, AbortSignal.timeout(DISCARD_TIMEOUT_MS));
    } catch {
      // Nothing more to do: the cancel itself must not fail for this.
    }
  }

  function pump(): Promise<void> {
    pumping ??= (async () => {
      try {
        for (let job = await nextQueued(); job; job = await nextQueued()) await runOne(job);
      } finally {
        pumping = undefined;
      }
    })();
    return pumping;
  }

  return {
    /** Persists a new local job and starts it when its turn comes. */
    async enqueue(job: LocalJob): Promise<void> {
      await deps.store.put(job);
      deps.onChange(job);
      void pump();
    },
    /** Cancels a queued or running local job; its spool and checkpoints are removed. */
    async cancel(jobId: string): Promise<void> {
      const controller = controllers.get(jobId);
      if (controller) {
        controller.abort();
        return;
      }
      const job = await deps.store.get(jobId);
      if (!job || job.kind !== 'local') throw new AppError('not-found', `No local job ${jobId}`);
      if (hasJobEnded(job) && job.phase !== 'failed') return;
      if (job.upload?.resume) await discardUpload(job, job.upload.resume);
      await deps.removeSpool(job);
      await deps.store.clearJobData(job.id);
      const cancelled: LocalJob = { ...job, phase: 'cancelled', segments: [], upload: undefined, updatedAt: now() };
      await deps.store.put(cancelled);
      deps.onChange(cancelled);
    },
    /** Queues a failed or cancelled job again; a failed one resumes from its checkpoints. */
    async retry(jobId: string): Promise<void> {
      const job = await deps.store.get(jobId);
      if (!job || job.kind !== 'local') throw new AppError('not-found', `No local job ${jobId}`);
      if (job.phase !== 'failed' && job.phase !== 'cancelled') return;
      const queued: LocalJob = { ...job, phase: 'queued', error: undefined, updatedAt: now() };
      if (job.phase === 'cancelled')
        Object.assign(queued, { listed: undefined, entriesDone: 0, archiveSize: undefined, upload: undefined });
      await deps.store.put(queued);
      deps.onChange(queued);
      void pump();
    },
    /**
     * After a worker start: jobs left in an active phase belonged to a worker
     * that died; they go back to the queue and resume from their checkpoints.
     */
    async resume(): Promise<void> {
      for (const job of await deps.store.list()) {
        if (job.kind === 'local' && ACTIVE.includes(job.phase) && !controllers.has(job.id)) {
          await deps.store.put({ ...job, phase: 'queued', updatedAt: now() });
        }
      }
      await pump();
    },
    /** Resolves when no job is running or queued. */
    idle(): Promise<void> {
      return pumping ?? Promise.resolve();
    },
    running(): number {
      return controllers.size;
    },
  };
}
