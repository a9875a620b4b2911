/**
 * Runs browser jobs one at a time, persists their progress, cancels on request,
 * and resumes what a killed service worker left behind. The worker is kept
 * awake while a job runs (docs/browser-platform.md#service-worker-lifetime: an extension API call every 25 s).
 */
import type { ArchiveDestination, ArchiveSource, ResumeState } from '../archive/types';
import { AppError, serializeError } from '../errors';
import type { Spool } from '../spool/types';
import { DISCARD_WAIT_MS, runBrowserArchive } from './browser-archive';
import { asDiskError } from './disk-errors';
import type { JobStore } from './store';
import { lostJob, traceOf, type JobTrace } from './trace';
import type { Job, BrowserJob } from './types';
import { hasJobEnded } from './types';

/** What a browser job reads from (source), zips into (spool) and uploads to (destination). */
export interface JobIo {
  spool: Spool;
  source: ArchiveSource;
  destination: ArchiveDestination;
  /** Tells `listener` when the job starts and stops waiting for a server that does not answer. */
  watchServer?(listener: (waitingSince: number | undefined) => void): void;
}

export interface JobQueueDeps {
  store: JobStore;
  /** Builds the source, destination and spool for a job (needs the server's credentials). */
  openIo(job: BrowserJob): Promise<JobIo>;
  /** Removes a job's spool without opening its source and destination. */
  removeSpool(job: BrowserJob): Promise<void>;
  /** Every change to a job, already throttled for progress. */
  onChange(job: Job): void;
  /** Keeps the service worker awake until the returned function is called. */
  keepAlive?(): () => void;
  now?: () => number;
  /** Where running jobs leave a trace that survives their records (lib/jobs/trace.ts). */
  trace?: JobTrace;
  watchdog?: Partial<WatchdogOptions>;
}

export interface WatchdogOptions {
  /** A running job that reported nothing for this long (and is not waiting for its server) is stopped. */
  stallMs: number;
  /** How often to look. */
  checkMs: number;
  /** How long a stopped job may take to end; after that the queue marks it failed itself. */
  graceMs: number;
}

// 30 min: longer than the retries wait for an absent server, and than one 25 MiB chunk takes on a slow uplink.
const WATCHDOG: WatchdogOptions = { stallMs: 30 * 60_000, checkMs: 30_000, graceMs: 30_000 };

const BROADCAST_MS = 250;
const PERSIST_MS = 2_000;
const ACTIVE: BrowserJob['phase'][] = ['listing', 'zipping', 'uploading', 'verifying'];

export type JobQueue = ReturnType<typeof createJobQueue>;

export function createJobQueue(deps: JobQueueDeps) {
  const now = deps.now ?? Date.now;
  const controllers = new Map<string, AbortController>();
  let pumping: Promise<void> | undefined;

  async function nextQueued(): Promise<BrowserJob | undefined> {
    const jobs = await deps.store.list();
    return jobs
      .filter((job): job is BrowserJob => job.kind === 'browser' && job.phase === 'queued')
      .sort((a, b) => a.createdAt - b.createdAt)[0];
  }

  const watchdog = { ...WATCHDOG, ...deps.watchdog };

  /**
   * Resolves with a failed record when `job` made no progress for `stallMs` (a write that
   * never returns, a database the browser closed): the job is stopped with a 'stalled'
   * reason, and if it does not end within `graceMs` the queue records the failure itself.
   */
  function watch(job: BrowserJob, controller: AbortController, activity: () => { at: number; waiting: boolean }) {
    let timer: ReturnType<typeof setInterval> | undefined;
    const stalled = new Promise<BrowserJob>((resolve) => {
      timer = setInterval(() => {
        const { at, waiting } = activity();
        if (waiting || now() - at < watchdog.stallMs || controller.signal.aborted) return;
        const minutes = Math.round(watchdog.stallMs / 60_000);
        const reason = new AppError('stalled', `No progress for ${minutes || '<1'} min`);
        controller.abort(reason);
        clearInterval(timer);
        setTimeout(
          () => resolve({ ...job, phase: 'failed', updatedAt: now(), error: serializeError(reason) }),
          watchdog.graceMs,
        );
      }, watchdog.checkMs);
    });
    return { stalled, stop: () => clearInterval(timer) };
  }

  async function runOne(job: BrowserJob) {
    const controller = new AbortController();
    controllers.set(job.id, controller);
    const release = deps.keepAlive?.() ?? (() => undefined);
    let lastBroadcast = 0;
    let lastPersist = now();
    let activity = { at: now(), waiting: false };
    const dog = watch(job, controller, () => activity);
    await deps.trace?.running(traceOf(job)).catch(() => undefined);
    try {
      const io = await deps.openIo(job);
      const running = runBrowserArchive(job, {
        ...io,
        store: deps.store,
        signal: controller.signal,
        now,
        onUpdate(current) {
          const at = now();
          const waiting = current.progress.waitingSince !== undefined;
          // Starting or ending a wait for the server is news at once: no progress may follow for minutes.
          const waitChanged = waiting !== activity.waiting;
          activity = { at, waiting };
          if (at - lastBroadcast >= BROADCAST_MS || hasJobEnded(current) || waitChanged) {
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
      const final = await Promise.race([running, dog.stalled]);
      deps.onChange(final);
      if (final.phase === 'failed' && final.error?.code === 'stalled') await deps.store.put(final);
      await deps.trace?.ended(job.id).catch(() => undefined);
    } catch (error) {
      // openIo failed (server removed, signed out…), or the job's last save did (its database is gone):
      // the job fails with that reason. The pages learn it first; the trace stays until it is stored,
      // so a job whose record could not be written is reported at the next start (lib/jobs/trace.ts).
      const failed: BrowserJob = {
        ...job,
        phase: 'failed',
        updatedAt: now(),
        error: { ...serializeError(asDiskError(error) ?? error), step: 'starting' },
      };
      deps.onChange(failed);
      const stored = await deps.store.put(failed).then(
        () => true,
        () => false,
      );
      if (stored) await deps.trace?.ended(job.id).catch(() => undefined);
    } finally {
      dog.stop();
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
  async function discardUpload(job: BrowserJob, resume: ResumeState): Promise<boolean> {
    try {
      const { destination } = await deps.openIo(job);
      await destination.discard?.(resume, AbortSignal.timeout(DISCARD_WAIT_MS));
      return true;
    } catch {
      // The cancel itself must not fail for this: the job keeps `pendingDiscard` for a later try.
      return false;
    }
  }

  /** Tries again to remove what cancelled uploads left where the server could not confirm it. */
  async function retryDiscards() {
    for (const job of await deps.store.list()) {
      if (job.kind !== 'browser' || !job.pendingDiscard || controllers.has(job.id)) continue;
      if (!(await discardUpload(job, job.pendingDiscard))) continue;
      const latest = await deps.store.get(job.id);
      if (latest?.kind !== 'browser') continue;
      const cleaned: BrowserJob = { ...latest, pendingDiscard: undefined, updatedAt: now() };
      await deps.store.put(cleaned);
      deps.onChange(cleaned);
    }
  }

  function pump(): Promise<void> {
    pumping ??= (async () => {
      try {
        for (let job = await nextQueued(); job; job = await nextQueued()) await runOne(job);
        await retryDiscards().catch(() => undefined);
      } finally {
        pumping = undefined;
      }
    })();
    return pumping;
  }

  return {
    /** Persists a new browser job and starts it when its turn comes. */
    async enqueue(job: BrowserJob): Promise<void> {
      await deps.store.put(job);
      deps.onChange(job);
      void pump();
    },
    /** Cancels a queued or running browser job; its spool and checkpoints are removed. */
    async cancel(jobId: string): Promise<void> {
      const controller = controllers.get(jobId);
      if (controller) {
        controller.abort();
        return;
      }
      const job = await deps.store.get(jobId);
      if (!job || job.kind !== 'browser') throw new AppError('not-found', `No browser job ${jobId}`);
      if (hasJobEnded(job) && job.phase !== 'failed') return;
      const resume = job.upload?.resume;
      const discarded = resume ? await discardUpload(job, resume) : true;
      await deps.removeSpool(job);
      await deps.store.clearJobData(job.id);
      const cancelled: BrowserJob = {
        ...job,
        phase: 'cancelled',
        segments: [],
        upload: undefined,
        pendingDiscard: discarded ? undefined : resume,
        updatedAt: now(),
      };
      await deps.store.put(cancelled);
      deps.onChange(cancelled);
    },
    /** Queues a failed or cancelled job again; a failed one resumes from its checkpoints. */
    async retry(jobId: string): Promise<void> {
      const job = await deps.store.get(jobId);
      if (!job || job.kind !== 'browser') throw new AppError('not-found', `No browser job ${jobId}`);
      if (job.phase !== 'failed' && job.phase !== 'cancelled') return;
      const queued: BrowserJob = { ...job, phase: 'queued', error: undefined, updatedAt: now() };
      if (job.phase === 'cancelled')
        Object.assign(queued, {
          listed: undefined,
          entriesDone: 0,
          archiveSize: undefined,
          upload: undefined,
          split: job.split && { partBytes: job.split.partBytes },
        });
      await deps.store.put(queued);
      deps.onChange(queued);
      void pump();
    },
    /**
     * After a worker start: jobs left in an active phase belonged to a worker
     * that died; they go back to the queue and resume from their checkpoints.
     */
    async resume(): Promise<void> {
      // A trace without a record: the browser wiped the job's data while it ran. Report it.
      const known = new Set((await deps.store.list()).map((job) => job.id));
      for (const entry of (await deps.trace?.list().catch(() => [])) ?? []) {
        if (controllers.has(entry.id)) continue;
        if (!known.has(entry.id)) {
          const lost = lostJob(entry, now());
          await deps.store.put(lost);
          deps.onChange(lost);
        }
        await deps.trace!.ended(entry.id);
      }
      for (const job of await deps.store.list()) {
        if (job.kind === 'browser' && ACTIVE.includes(job.phase) && !controllers.has(job.id)) {
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
