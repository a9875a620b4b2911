import { mkdir, writeFile, appendFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { App } from './context';
import { ApiError, sleep } from './http';
import type { SandboxTask, SandboxUser } from './state';
import { resolveShareUri, type ShareRead } from './shares';
import { parseCrUri } from './uri';
import type { ArchiveEntry } from './zip';
import { collectEntries, createZipBuilder } from './zip';

/** Non-retryable task error (BE `queue.CriticalErr`). */
class TaskFailure extends Error {}

/** The sandbox stopped under a running task; it ends silently. */
class Stopped extends Error {}

async function pause(app: App, ms: number): Promise<void> {
  await sleep(ms);
  if (app.isStopped()) throw new Stopped();
}

/** The group limit text of BE `fs.ErrArchiveSrcSizeTooBig` (docs/cloudreve-api.md#checked-inside-the-task). */
export const COMPRESS_SIZE_ERROR =
  'File is too large: total size of to-be compressed file exceed group limit (non-retryable error)';
/** BE `pkg/filemanager/workflows/worfklows.go` allocateNode without a capable node. */
export const NO_NODE_ERROR = 'failed to allocate node: no node found with capability 1';

const UPLOAD_SLICES = 4;

function touch(task: SandboxTask, status: SandboxTask['status']): void {
  task.status = status;
  task.updatedAt = Date.now();
}

async function resolveSources(app: App, user: SandboxUser, task: SandboxTask): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  for (const raw of task.props.src_multiple) {
    const uri = parseCrUri(raw);
    const missing = () => new TaskFailure(`failed to get file "${raw}": Path not exist (non-retryable error)`);
    if (uri?.filesystem === 'share') {
      // Items inside a share are read as the task's owner through the share's rules; the
      // share root itself is refused (BE manager/archive.go `CreateArchive`: `WithNotRoot`).
      let read: ShareRead;
      try {
        read = resolveShareUri(app, uri, user);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        throw new TaskFailure(`failed to get file "${raw}": ${error.message} (non-retryable error)`);
      }
      if (read.inShare.length === 0 || !(await app.files.stat(read.owner.num, read.segments))) throw missing();
      entries.push(...(await collectEntries(app.files.resolve(read.owner.num, read.segments), read.segments)));
      continue;
    }
    const stats = uri?.filesystem === 'my' && uri.segments.length ? await app.files.stat(user.num, uri.segments) : null;
    if (!uri || !stats) throw missing();
    entries.push(...(await collectEntries(app.files.resolve(user.num, uri.segments), uri.segments)));
  }
  return entries;
}

async function compress(app: App, user: SandboxUser, task: SandboxTask): Promise<Buffer> {
  const { faults } = app.config;
  if (faults.noArchiveNode) throw new TaskFailure(NO_NODE_ERROR);
  task.phase = 'compress_files';
  const count = { total: 0, current: 0, identifier: '' };
  const size = { total: 0, current: 0, identifier: '' };
  // Master only grows `current`; totals stay 0 (docs/cloudreve-api.md#task-progress).
  task.progress = { archive_count: count, archive_size: size };
  const entries = await resolveSources(app, user, task);
  const limit = app.state.groupOf(user).compressSize;
  const total = entries.reduce((sum, entry) => sum + (entry.isDir ? 0 : entry.size), 0);
  if (limit > 0 && total > limit) throw new TaskFailure(COMPRESS_SIZE_ERROR);
  const zip = createZipBuilder();
  for (const entry of entries) {
    if (!entry.isDir && faults.unreadable.includes(entry.rel)) {
      // Unreadable files are skipped and counted (BE manager/archive.go).
      task.props.failed += 1;
      continue;
    }
    await zip.add(entry);
    count.current += 1;
    size.current += entry.isDir ? 0 : entry.size;
    task.updatedAt = Date.now();
    if (faults.taskFileDelayMs) await pause(app, faults.taskFileDelayMs);
  }
  if (faults.taskFails) throw new TaskFailure(faults.taskFails);
  return zip.finish();
}

async function upload(app: App, user: SandboxUser, task: SandboxTask, archive: Buffer): Promise<void> {
  task.phase = 'upload_archive';
  const progress = { total: archive.length, current: 0, identifier: '' };
  task.progress = { upload: progress };
  const uri = parseCrUri(task.props.dst)!;
  const dest = app.files.resolve(user.num, uri.segments);
  if (await app.files.stat(user.num, uri.segments)) throw new TaskFailure('failed to upload archive: Object existed');
  if (app.isStopped()) throw new Stopped();
  await mkdir(dirname(dest), { recursive: true });
  await writeFile(dest, new Uint8Array(0));
  const slice = Math.ceil(archive.length / UPLOAD_SLICES) || 1;
  for (let offset = 0; offset < archive.length; offset += slice) {
    await appendFile(dest, archive.subarray(offset, offset + slice));
    progress.current = Math.min(archive.length, offset + slice);
    task.updatedAt = Date.now();
    await pause(app, app.config.faults.taskStepMs / UPLOAD_SLICES);
  }
}

/**
 * Runs a create_archive task: queued → processing (compress_files) → suspending →
 * processing (upload_archive) → completed, or error (docs/cloudreve-api.md#task-statuses-and-phases).
 */
export async function runArchiveTask(app: App, user: SandboxUser, task: SandboxTask): Promise<void> {
  const step = () => pause(app, app.config.faults.taskStepMs);
  const started = Date.now();
  try {
    await step();
    touch(task, 'processing');
    const archive = await compress(app, user, task);
    // Multi-phase tasks suspend between phases (ResumeAfter); `suspending` is normal.
    task.progress = {};
    task.resumeTime = Math.floor((Date.now() + app.config.faults.taskStepMs) / 1000);
    touch(task, 'suspending');
    await step();
    touch(task, 'processing');
    await upload(app, user, task, archive);
    task.durationMs = Date.now() - started;
    task.progress = null;
    touch(task, 'completed');
  } catch (err) {
    if (err instanceof Stopped) return;
    const message = err instanceof TaskFailure ? err.message : `internal error: ${(err as Error).message}`;
    task.error = message;
    task.errorHistory.push(message);
    task.durationMs = Date.now() - started;
    task.progress = null;
    touch(task, 'error');
  }
}
