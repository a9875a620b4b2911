/**
 * Strategy 2, the in-browser archive: list the selection, zip it into a spool
 * with per-entry checkpoints, upload the finished archive, verify its size.
 * Every phase starts from what is persisted, so calling this again on a job
 * that a killed worker left half-done continues where it stopped.
 */
import { createPartPlanner, partName, type PlannedPart } from '../archive/part-plan';
import type { ArchiveDestination, ArchiveSource, SourceEntry } from '../archive/types';
import { isUnreadable, unreadableError, unreadableItem, type UnreadableItem } from '../archive/unreadable';
import { AppError, isAppError, serializeError } from '../errors';
import { asDiskError } from './disk-errors';
import type { Spool } from '../spool/types';
import { EntryInterrupted, MAX_READS_OF_CHANGING_FILE, zipEntries as writeEntries } from '../archive/zip-entries';
import { nameRewrites } from '../zip/names';
import { defaultDeflater, type Deflater } from '../zip/deflate';
import { createZipWriter, type EntryCheckpoint } from '../zip/writer';
import { QUOTA_MARGIN } from './preflight';
import { createSpeedMeter } from './progress';
import { uploadResumably } from './resumable-upload';
import type { JobStore } from './store';
import type { BrowserJob, BrowserPhase, SplitSize } from './types';
import { MAX_REPORTED, TRANSITIONS } from './types';

/** How long removing what a cancelled upload left may wait for the server before the queue takes it over. */
export const DISCARD_WAIT_MS = 15_000;

export interface BrowserArchiveDeps {
  store: JobStore;
  spool: Spool;
  source: ArchiveSource;
  destination: ArchiveDestination;
  signal: AbortSignal;
  /** Called on every change worth showing; the caller throttles and broadcasts. */
  onUpdate?: (job: BrowserJob) => void;
  now?: () => number;
  /** A segment is committed (a checkpoint) once it holds this many bytes… */
  segmentBytes?: number;
  /** …or this long after the last checkpoint. */
  checkpointMs?: number;
  /** The compressor (default: the runtime's native one; the CLI passes node:zlib). */
  deflater?: Deflater;
  /** Tells when the job waits for a server that does not answer (lib/net/retrying-fetch.ts). */
  watchServer?(listener: (waitingSince: number | undefined) => void): void;
}

const LIST_BATCH = 500;
const READ_PAGE = 256;

/** Runs (or resumes) a browser job to an end state and returns the final record. */
export async function runBrowserArchive(start: BrowserJob, deps: BrowserArchiveDeps): Promise<BrowserJob> {
  const now = deps.now ?? Date.now;
  const job: BrowserJob = structuredClone(start);
  let step: BrowserPhase = job.phase;

  const save = async () => {
    job.updatedAt = now();
    await deps.store.put(job);
    deps.onUpdate?.(job);
  };
  const enter = async (phase: BrowserPhase) => {
    if (phase !== job.phase && !TRANSITIONS[job.phase].includes(phase)) {
      throw new AppError('internal', `A job cannot go from ${job.phase} to ${phase}`);
    }
    job.phase = step = phase;
    await save();
  };

  deps.watchServer?.((since) => {
    job.progress.waitingSince = since;
    deps.onUpdate?.(job);
  });

  try {
    deps.signal.throwIfAborted();
    if (job.phase === 'queued') await enter(job.listed ? (job.archiveSize ? 'uploading' : 'zipping') : 'listing');
    if (job.phase === 'listing') {
      await listSelection(job, deps);
      await enter('zipping');
    }
    // One pass per part of a split archive (INTERNALS.md "Split archives"); one pass otherwise.
    for (;;) {
      if (job.phase === 'zipping') {
        await zipRewinding(job, deps, now);
        await enter('uploading');
      }
      if (job.phase === 'uploading' || job.phase === 'verifying') {
        await uploadArchive(job, deps, enter, save);
        if (currentPart(job)) {
          await enter('zipping');
          continue;
        }
        await enter('done');
        await cleanUp(job, deps);
      }
      return job;
    }
  } catch (error) {
    // The queue's watchdog stops a job that made no progress with an AppError as the reason.
    const stopped = deps.signal.aborted && isAppError(deps.signal.reason) ? deps.signal.reason : undefined;
    // Only our own signal means the user cancelled. Chromium also rejects OPFS writes with an AbortError
    // when the disk under the profile fills up (docs/browser-platform.md#a-full-disk-under-the-profile):
    // that is a failure to report, not a cancel that would delete the job's data.
    if (!stopped && deps.signal.aborted) {
      job.phase = 'cancelled';
      await cleanUp(job, deps);
    } else {
      // Keep the spool and checkpoints: a retry resumes from them.
      job.phase = 'failed';
      const disk = stopped ? undefined : asDiskError(error);
      job.error = { ...serializeError(stopped ?? disk ?? error), step };
      const nothingSent = (step === 'listing' || step === 'zipping') && !job.split?.done?.length;
      if (disk && nothingSent) await freeDisk(job, deps);
    }
    job.progress.waitingSince = undefined;
    // A database that closed under the job is opened again by the store for this save (lib/jobs/store.ts).
    await save().catch(() => save());
    return job;
  }
}

/**
 * The browser's disk is full while the archive is being built: a half-built spool only keeps the disk
 * full (and Chromium may already have wiped it with the job's listing). Nothing was sent to the
 * destination yet, so the job gives its space back and a retry starts from the listing.
 */
async function freeDisk(job: BrowserJob, deps: BrowserArchiveDeps) {
  await deps.spool.remove().catch(() => undefined);
  await deps.store.clearJobData(job.id).catch(() => undefined);
  Object.assign(job, { segments: [], entriesDone: 0, listed: undefined, archiveSize: undefined });
}

async function cleanUp(job: BrowserJob, deps: BrowserArchiveDeps) {
  await deps.spool.remove();
  await deps.store.clearJobData(job.id);
  job.segments = [];
  // A cancelled upload removed what it left on the server as it ended; when the server could not
  // confirm it (away), the job keeps what names it and the queue tries again later.
  const resume = job.upload?.resume;
  if (job.phase === 'cancelled' && resume && deps.destination.discard) {
    await deps.destination.discard(resume, AbortSignal.timeout(DISCARD_WAIT_MS)).then(
      () => undefined,
      () => void (job.pendingDiscard = resume),
    );
  }
  // A later retry starts over, so it must not continue this upload or reuse its name.
  job.upload = undefined;
}

async function listSelection(job: BrowserJob, deps: BrowserArchiveDeps) {
  // A listing cut short is redone from the start: sources walk in a fixed order.
  await deps.store.clearJobData(job.id);
  job.unreadable = [];
  job.renamed = [];
  job.renamedCount = 0;
  const totals = { files: 0, folders: 0, bytes: 0, skipped: 0 };
  // A split archive's parts are planned from the listing as it arrives (lib/archive/part-plan.ts).
  const planner = job.split && createPartPlanner(await partBytes(job.split.partBytes, deps), job.compression);
  let batch: SourceEntry[] = [];
  let index = 0;
  const flush = async () => {
    await deps.store.appendEntries(job.id, index, batch);
    index += batch.length;
    batch = [];
    job.progress.filesTotal = totals.files;
    job.progress.bytesTotal = totals.bytes;
    deps.onUpdate?.(job);
  };
  const onUnreadable = (item: UnreadableItem) => {
    totals.skipped += 1;
    report(job, item);
  };
  for await (const entry of deps.source.list(deps.signal, onUnreadable)) {
    // Names are made safe and unique by the zip writer (lib/zip/names.ts), once, as entries are added.
    batch.push(entry);
    planner?.add(entry);
    if (entry.kind === 'file') {
      totals.files += 1;
      totals.bytes += entry.size;
    } else totals.folders += 1;
    if (batch.length >= LIST_BATCH) await flush();
  }
  await flush();
  if (index === 0) {
    // Everything selected was unreadable: say why rather than "nothing selected".
    const first = job.unreadable[0];
    if (first) throw unreadableError(first);
    throw new AppError('selection-empty', 'The selection holds nothing to archive');
  }
  job.listed = totals;
  job.entriesDone = 0;
  job.segments = [];
  if (job.split && planner) job.split = { partBytes: job.split.partBytes, plan: planner.finish(), done: [] };
}

/** Bytes per part; a destination that takes files of any size gets the archive in one part. */
async function partBytes(size: SplitSize, deps: BrowserArchiveDeps): Promise<number> {
  if (size !== 'destination-limit') return size;
  return (await deps.destination.maxFileSize?.(deps.signal)) ?? Number.POSITIVE_INFINITY;
}

/**
 * The part of a split archive being made (index from 0, entries [first, end)), or undefined
 * when the job is not split or every part is done.
 */
function currentPart(job: BrowserJob): (PlannedPart & { index: number; end: number }) | undefined {
  const plan = job.split?.plan;
  if (!plan) return undefined;
  const index = job.split?.done?.length ?? 0;
  const part = plan[index];
  return part && { ...part, index, end: part.first + part.count };
}

/** Records `item` in the job (the first MAX_REPORTED), or ends the job when its user asked to stop. */
function report(job: BrowserJob, item: UnreadableItem) {
  if (job.stopOnUnreadable) throw unreadableError(item);
  job.unreadable ??= [];
  if (job.unreadable.length < MAX_REPORTED && !job.unreadable.some((known) => known.path === item.path))
    job.unreadable.push(item);
}

/**
 * Zips, and when a file fails after some of its bytes went into the archive,
 * rewinds to the last checkpoint and goes on from there: a file that changed
 * is read again from its start (until it has changed MAX_READS_OF_CHANGING_FILE
 * times), one that cannot be read is skipped and reported. Never a mix of old
 * and new bytes, never a half-written entry.
 */
async function zipRewinding(job: BrowserJob, deps: BrowserArchiveDeps, now: () => number) {
  // Files reported while zipping are not read again; members left out of a listing were never entries.
  const skipped = new Set(
    (job.unreadable ?? []).filter((item) => item.kind === 'file' && item.code !== 'unsafe-listing').map((i) => i.path),
  );
  const changes = new Map<string, number>();
  for (;;) {
    try {
      return await zipEntries(job, deps, now, skipped);
    } catch (error) {
      if (!(error instanceof EntryInterrupted) || deps.signal.aborted) throw error;
      const { entry, cause } = error;
      const changed = isUnreadable(cause) && (cause as AppError).code === 'source-changed';
      const reads = (changes.get(entry.name) ?? 0) + 1;
      changes.set(entry.name, reads);
      if (changed && reads < MAX_READS_OF_CHANGING_FILE) continue;
      report(job, unreadableItem(entry.name, 'file', cause));
      skipped.add(entry.name);
    }
  }
}

async function zipEntries(job: BrowserJob, deps: BrowserArchiveDeps, now: () => number, skipped: Set<string>) {
  const { store, spool, source, signal } = deps;
  const deflater = deps.deflater ?? defaultDeflater();
  const listed = job.listed!;
  // A split archive zips the entries of its current part into a zip of their own.
  const part = currentPart(job);
  if (job.split && !part) throw new AppError('internal', `Job ${job.id} has no part left to zip`);
  const first = part?.first ?? 0;
  const end = part?.end ?? listed.files + listed.folders;
  const segmentBytes = deps.segmentBytes ?? 64 * 1024 * 1024;
  const checkpointMs = deps.checkpointMs ?? 5_000;

  // The destination's size limit, checked before zipping (a store-only archive is at least as
  // large as its files) and whenever the archive grows past it, not after the whole archive was made.
  const limit = await deps.destination.maxFileSize?.(signal).catch(() => undefined);
  const tooLarge = (size: number, what: string) =>
    new AppError('archive-too-large', `${what} ${size} bytes; the limit is ${limit} bytes`, { size, limit });
  // A part's bound is its exact length when every file is stored.
  const toStore = part ? part.bound : listed.bytes;
  if (limit && job.compression.mode === 'store' && toStore > limit) throw tooLarge(toStore, 'The files to store hold');

  const spooled = job.segments.reduce((sum, segment) => sum + segment.size, 0);
  const available = await spool.available();
  // The spool holds one part at a time: a split archive needs room for its current part only.
  const needed = (part ? part.bound : listed.bytes) - spooled + QUOTA_MARGIN;
  if (available !== undefined && available < needed) {
    throw new AppError('quota-exceeded', 'Not enough browser storage for this archive', { needed, available });
  }

  // Anything beyond the last checkpoint was written by a worker that died: drop it.
  await spool.prune(job.segments.map((segment) => segment.name));
  const done = (await store.readCheckpoints(job.id)).slice(0, job.entriesDone);
  const finished = done.filter((checkpoint): checkpoint is EntryCheckpoint => checkpoint !== null);
  // The writer continues after the entries of this part that are already in the spool.
  const inPart = done.slice(first).filter((checkpoint): checkpoint is EntryCheckpoint => checkpoint !== null);
  // "N of M files": folders are entries of the zip, not files (a skipped entry, null, is always a file).
  job.progress.filesDone = done.filter((checkpoint) => checkpoint?.kind !== 'folder').length;
  job.progress.skipped = (listed.skipped ?? 0) + done.length - finished.length;
  job.progress.bytesDone = finished.reduce((sum, checkpoint) => sum + checkpoint.size, 0);

  const segmentName = () => `segment-${String(job.segments.length).padStart(5, '0')}`;
  /** Archive offset where the open segment starts. */
  let segmentStart = spooled;
  let segment = await spool.openSegment(segmentName());
  const writer = createZipWriter({
    sink: {
      write: (chunk) => segment.write(chunk),
      // Asked per chunk: a segment reopened at a checkpoint may be written another way.
      get copies() {
        return segment.copies === true;
      },
    },
    offset: spooled,
    entries: inPart,
    level: job.compression.level,
    deflater,
    // Small entries are batched into ≈1 MiB spool writes; commit() flushes before
    // it persists checkpoints, so none points past bytes the segment holds.
    flushEachEntry: false,
    signal,
  });
  const speed = createSpeedMeter(now);
  let pending: (EntryCheckpoint | null)[] = [];
  let lastCommit = now();

  const commit = async (reopen: boolean) => {
    await writer.flush();
    const size = await segment.commit();
    segmentStart += size;
    const segments = size > 0 ? [...job.segments, { name: segmentName(), size }] : job.segments;
    if (size === 0) await spool.prune(segments.map((s) => s.name));
    // The job record changes only once its checkpoints are stored with it (one transaction).
    const committed = { ...job, segments, entriesDone: job.entriesDone + pending.length, updatedAt: now() };
    await store.commitCheckpoints(committed, job.entriesDone, pending);
    Object.assign(job, { segments, entriesDone: committed.entriesDone, updatedAt: committed.updatedAt });
    pending = [];
    lastCommit = now();
    if (reopen) segment = await spool.openSegment(segmentName());
  };

  async function* remaining(): AsyncGenerator<SourceEntry> {
    for (let index = job.entriesDone; index < end;) {
      const page = await store.readEntries(job.id, index, Math.min(READ_PAGE, end - index));
      if (page.length === 0) throw new AppError('internal', `Listing of job ${job.id} ends at entry ${index}`);
      yield* page;
      index += page.length;
    }
  }

  let lastUpdate = 0;
  const onBytes = (bytes: number) => {
    job.progress.bytesDone += bytes;
    speed.record(job.progress.bytesDone);
    if (now() - lastUpdate > 250) {
      lastUpdate = now();
      job.progress.speed = speed.speed();
      deps.onUpdate?.(job);
    }
  };

  try {
    const written = writeEntries(remaining(), {
      writer,
      open: (entry, offset, aborted) => source.open(entry, offset, aborted),
      policy: job.compression,
      deflater,
      signal,
      onBytes,
      isSkipped: (entry) => skipped.has(entry.name),
      onUnreadable: (item) => report(job, item),
    });
    for await (const checkpoint of written) {
      if (!checkpoint) job.progress.skipped += 1;
      else noteRename(job, checkpoint);
      pending.push(checkpoint);
      if (checkpoint?.kind !== 'folder') job.progress.filesDone += 1;
      if (limit && writer.offset > limit) throw tooLarge(writer.offset, 'The archive has passed');
      // writer.offset counts bytes still batched in the writer, which segment.size does not yet.
      const inSegment = writer.offset - segmentStart;
      if (inSegment >= segmentBytes || now() - lastCommit >= checkpointMs) await commit(true);
    }
    const { length } = await writer.finish();
    if (limit && length > limit) throw tooLarge(length, 'The archive has');
    job.archiveSize = length;
    await commit(false);
  } catch (error) {
    await segment.abort();
    throw error;
  }
}

/** Keeps what the safety rules did to this entry's name (shown in the job's summary). */
function noteRename(job: BrowserJob, checkpoint: EntryCheckpoint) {
  const reasons = nameRewrites(checkpoint.requestedName, checkpoint.name);
  if (reasons.length === 0) return;
  job.renamed ??= [];
  // An entry redone after a rewind or a restart is already listed.
  if (job.renamed.some((known) => known.name === checkpoint.name)) return;
  job.renamedCount = (job.renamedCount ?? 0) + 1;
  if (job.renamed.length < MAX_REPORTED)
    job.renamed.push({ path: checkpoint.requestedName, name: checkpoint.name, reasons });
}

async function uploadArchive(
  job: BrowserJob,
  deps: BrowserArchiveDeps,
  enter: (phase: BrowserPhase) => Promise<void>,
  save: () => Promise<void>,
) {
  const { spool, destination, signal } = deps;
  const part = currentPart(job);
  const archive = await spool.blob(job.segments);
  if (archive.size !== job.archiveSize) {
    throw new AppError('size-mismatch', `The spooled archive has ${archive.size} bytes, expected ${job.archiveSize}`);
  }
  job.progress.uploadSent = 0;
  job.progress.uploadTotal = archive.size;
  await save();
  // Resumable: a rerun continues the recorded upload to the recorded name (lib/jobs/resumable-upload.ts).
  const stored = await uploadResumably(job, destination, archive, {
    // Each part claims a name of its own, never overwriting (lib/jobs/resumable-upload.ts).
    // An archive that fits in one part keeps its plain name.
    name:
      part && part.count < (job.listed?.files ?? 0) + (job.listed?.folders ?? 0)
        ? partName(job.name, part.index + 1)
        : job.name,
    signal,
    onProgress: ({ sent }) => {
      job.progress.uploadSent = sent;
      deps.onUpdate?.(job);
    },
    save,
  });
  await enter('verifying');
  if (stored.size !== archive.size) {
    throw new AppError('size-mismatch', `The server stored ${stored.size} bytes of a ${archive.size}-byte archive`);
  }
  if (!part || !job.split) {
    job.result = { name: stored.name, size: stored.size, location: destination.label };
    return;
  }
  // Part verified: record it with the job before its spool goes, so a restart goes on with the next part.
  const parts = [...(job.split.done ?? []), { name: stored.name, size: stored.size }];
  job.split = { ...job.split, done: parts };
  job.upload = undefined;
  job.archiveSize = undefined;
  job.segments = [];
  const total = parts.reduce((sum, done) => sum + done.size, 0);
  job.result = { name: parts[0]!.name, size: total, location: destination.label };
  await save();
  await spool.prune([]);
}
