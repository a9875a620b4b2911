/**
 * What one row of the popup shows, in words: a pure function of the row and
 * the servers, so wording, progress and the offered actions are unit tested.
 */
import { folderPageUrl, joinUri, parseUri } from '@/lib/cloudreve/uri';
import { etaSeconds } from '@/lib/jobs/progress';
import type { Destination, BrowserJob, JobAccount, ServerJob, ServerStatus } from '@/lib/jobs/types';
import { dateTimeFormat, formatBytes, formatDateTime, t, uiLanguage } from '@/lib/i18n';
import type { ServerView } from '@/lib/servers/types';
import type { ServerTask } from '@/lib/jobs/types';
import type { NameRewrite } from '@/lib/zip/names';
import { toUserMessage } from '@/lib/user-message';
import type { Row } from './jobs-store';
import { showHidden } from '@/lib/visible-text';

export type Tone = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RowModel {
  key: string;
  title: string;
  sources: number;
  folder: string;
  where: string;
  tone: Tone;
  status: string;
  created: string;
  /** `value` 0–1; absent = indeterminate. */
  progress?: { value?: number; label: string };
  speed?: string;
  eta?: string;
  error?: string;
  errorHistory: string[];
  retryCount: number;
  /** Files and folders left out; `unreadable` lists them with why, where the job kept them. */
  skipped: number;
  unreadable: { path: string; reason: string }[];
  /** Names in the zip that are not the server's (safety rules), with why. */
  renamed: { path: string; name: string; reason: string }[];
  renamedCount: number;
  /** Set on rows of another account than the extension's (shown apart, without actions). */
  account?: string;
  /** Empty files that may be this job's own claim of a name, left alone (BrowserJob `placeholdersLeft`). */
  placeholdersLeft: string[];
  actions: {
    cancel?: string;
    retry?: string;
    runInBrowser?: string;
    openFolder?: string;
    download?: { serverId: string; uri: string; account: JobAccount | undefined };
    /** The upload waits for access to this storage origin (lib/service/storage-access.ts). */
    allowStorage?: string;
  };
}

const BROWSER_PHASE: Record<BrowserJob['phase'], [string, string]> = {
  queued: ['phaseQueued', 'Waiting to start'],
  listing: ['phaseListing', 'Listing files'],
  zipping: ['phaseZipping', 'Compressing'],
  uploading: ['phaseUploading', 'Uploading'],
  verifying: ['phaseVerifying', 'Checking the upload'],
  done: ['phaseDone', 'Done'],
  failed: ['phaseFailed', 'Failed'],
  cancelled: ['phaseCancelled', 'Cancelled'],
};

/** Why a name in the zip differs from the server's (INTERNALS.md "Entry names"). */
const RENAME_REASON: Record<NameRewrite, [string, string]> = {
  backslash: ['renamedBackslash', 'a backslash became _'],
  unsafe: ['renamedUnsafe', 'a part that would leave the extraction folder was removed'],
  duplicate: ['renamedDuplicate', 'the same path was already in the archive'],
};

const SERVER_STATUS: Record<ServerStatus, [string, string]> = {
  queued: ['statusQueued', 'Queued on the server'],
  processing: ['statusProcessing', 'Running on the server'],
  suspending: ['statusSuspending', 'Waiting on the server'],
  error: ['statusError', 'Failed'],
  canceled: ['statusCanceled', 'Cancelled'],
  completed: ['statusCompleted', 'Done'],
};

/** `summary.phase` of create_archive (docs/cloudreve-api.md#task-statuses-and-phases). */
const SERVER_PHASE: Record<string, [string, string]> = {
  not_started: ['taskPhaseNotStarted', 'not started'],
  compress_files: ['taskPhaseCompress', 'compressing files'],
  upload_archive: ['taskPhaseUpload', 'uploading the archive'],
  await_slave_compressing: ['taskPhaseNodeCompress', 'compressing on the node'],
  await_slave_uploading: ['taskPhaseNodeUpload', 'uploading from the node'],
  complete_upload: ['taskPhaseCompleteUpload', 'finishing the upload'],
};

const text = ([key, english]: [string, string], subs: (string | number)[] = []) => t(key, english, subs);

function toneOfStatus(status: ServerStatus): Tone {
  if (status === 'completed') return 'done';
  if (status === 'error') return 'failed';
  if (status === 'canceled') return 'cancelled';
  return status === 'queued' ? 'queued' : 'running';
}

function toneOfPhase(phase: BrowserJob['phase']): Tone {
  if (phase === 'done' || phase === 'failed' || phase === 'cancelled' || phase === 'queued') return phase;
  return 'running';
}

/** `cloudreve://my/A%20B` → "/A B"; other filesystems keep their name. */
export function folderLabel(destination: Destination | { kind: 'cloudreve'; folderUri?: string }): string {
  if (destination.kind === 'download') return t('destDownloads', 'Downloads folder');
  if (destination.kind === 'webdav') return destination.folder ? `/${destination.folder.replace(/^\/+/, '')}` : '/';
  if (!destination.folderUri) return '';
  try {
    const uri = parseUri(destination.folderUri);
    if (uri.filesystem === 'my' && uri.segments.length === 0) return t('folderRoot', 'My files');
    const path = '/' + uri.segments.join('/');
    return uri.filesystem === 'my' ? path : `${uri.filesystem}:${path}`;
  } catch {
    return destination.folderUri;
  }
}

/** "42 s", "3 min", "1 h 5 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return t('durationSeconds', '$1 s', [seconds]);
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return t('durationMinutes', '$1 min', [minutes]);
  return t('durationHours', '$1 h $2 min', [Math.floor(minutes / 60), minutes % 60]);
}

function serverProgress(progress: ServerTask['progress'], running: boolean): RowModel['progress'] {
  if (!progress) return running ? { label: '' } : undefined;
  const { key, current, total } = progress;
  // archive_count/archive_size totals stay 0 on the master node: indeterminate (docs/cloudreve-api.md#task-progress).
  const value = total > 0 ? Math.min(1, current / total) : undefined;
  if (key === 'archive_count') return { value, label: t('progressFilesAdded', '$1 files added', [current]) };
  const label =
    total > 0
      ? t('progressBytesOf', '$1 of $2', [formatBytes(current), formatBytes(total)])
      : t('progressBytes', '$1 so far', [formatBytes(current)]);
  return { value, label };
}

/** Bytes done/total and a label for the phases that move a byte count. */
function browserCounts(job: BrowserJob): { done: number; total: number; label: string } | undefined {
  const p = job.progress;
  if (job.phase === 'zipping') {
    return {
      done: p.bytesDone,
      total: p.bytesTotal,
      label: t('progressFilesOf', '$1 of $2 files', [p.filesDone, p.filesTotal]),
    };
  }
  if (job.phase === 'uploading') {
    const [done, total] = [p.uploadSent ?? 0, p.uploadTotal ?? job.archiveSize ?? 0];
    return { done, total, label: t('progressBytesOf', '$1 of $2', [formatBytes(done), formatBytes(total)]) };
  }
  return undefined;
}

function browserProgress(job: BrowserJob): Pick<RowModel, 'progress' | 'speed' | 'eta'> {
  const p = job.progress;
  if (job.phase === 'listing') return { progress: { label: t('progressFound', '$1 files found', [p.filesTotal]) } };
  if (job.phase === 'verifying') return { progress: { label: '' } };
  const counts = browserCounts(job);
  if (!counts) return {};
  const { done, total, label } = counts;
  const eta = etaSeconds(done, total, p.speed);
  return {
    progress: { value: total > 0 ? Math.min(1, done / total) : undefined, label },
    speed: p.speed > 0 ? t('speedPerSecond', '$1/s', [formatBytes(p.speed)]) : undefined,
    eta: eta === undefined ? undefined : t('etaLeft', '$1 left', [formatDuration(eta)]),
  };
}

function resultUri(folderUri: string | undefined, name: string | undefined): string | undefined {
  if (!folderUri || !name) return undefined;
  try {
    return joinUri(folderUri, name);
  } catch {
    return undefined;
  }
}

/** "Part 2 of 3" while a split archive is made; its parts' names once done (lib/archive/part-plan.ts). */
function splitParts(job: BrowserJob, final: boolean): string | undefined {
  const plan = job.split?.plan;
  if (!plan || plan.length < 2) return undefined;
  const done = job.split?.done ?? [];
  if (!final) return t('splitPartOf', 'Part $1 of $2', [Math.min(done.length + 1, plan.length), plan.length]);
  return done.length > 0
    ? t('splitPartsDone', '$1 parts: $2', [done.length, done.map((part) => part.name).join(', ')])
    : undefined;
}

function browserModel(job: BrowserJob, origin: string | undefined): RowModel {
  const final = job.phase === 'done' || job.phase === 'failed' || job.phase === 'cancelled';
  const parts = splitParts(job, final);
  const folderUri = job.destination.kind === 'cloudreve' ? job.destination.folderUri : undefined;
  const uri = job.phase === 'done' ? resultUri(folderUri, job.result?.name) : undefined;
  return {
    ...base(job.id, job.result?.name ?? job.name, job.sources.length, job.createdAt, folderLabel(job.destination)),
    where: t('whereBrowser', 'In the browser'),
    tone: toneOfPhase(job.phase),
    // The job's requests are being retried until the server is back (lib/net/retrying-fetch.ts).
    status:
      !final && job.progress.waitingSince !== undefined
        ? t('phaseWaitingServer', 'Waiting for the server to answer again')
        : [parts, text(BROWSER_PHASE[job.phase])].filter(Boolean).join(' · '),
    ...(final ? {} : browserProgress(job)),
    error: job.error && job.phase !== 'cancelled' ? toUserMessage(job.error) : undefined,
    skipped: job.progress.skipped,
    // Names as the user should see them: a tab or an RTL override in a listed name would hide or reorder text.
    unreadable: (job.unreadable ?? []).map((item) => ({
      path: showHidden(item.path),
      reason: showHidden(toUserMessage({ code: item.code, message: item.reason })),
    })),
    renamed: (job.renamed ?? []).map((entry) => ({
      path: showHidden(entry.path),
      name: showHidden(entry.name),
      reason: entry.reasons.map((why) => text(RENAME_REASON[why])).join(', '),
    })),
    renamedCount: job.renamedCount ?? job.renamed?.length ?? 0,
    placeholdersLeft: (job.placeholdersLeft ?? []).map((name) =>
      t(
        'placeholderLeft',
        'An empty file "$1" may be left in the folder: the server\'s answer when this job claimed that name was lost, and it cannot be told from another upload, so it was not deleted. Delete it if no other upload of that name runs.',
        [name],
      ),
    ),
    actions: {
      allowStorage: job.phase === 'uploading' ? job.awaitingAccess : undefined,
      cancel: final ? undefined : job.id,
      retry: job.phase === 'failed' || job.phase === 'cancelled' ? job.id : undefined,
      openFolder: origin && folderUri ? folderPageUrl(origin, folderUri) : undefined,
      download: uri ? { serverId: job.serverId, uri, account: job.account } : undefined,
    },
  };
}

function serverModel(job: ServerJob, origin: string | undefined): RowModel {
  // A job keeps its task's fields under the same names: it shows as that task, plus our own actions.
  const folderUri = job.destination.kind === 'cloudreve' ? job.destination.folderUri : undefined;
  const task = { ...job, id: job.taskId, name: job.result?.name ?? job.name, folderUri, error: job.error?.message };
  const model = taskModel(task, origin);
  const failed = job.status === 'error' || Boolean(job.error);
  return {
    ...model,
    key: job.id,
    status: job.replacedBy ? `${model.status} · ${t('statusReplaced', 'run again in the browser')}` : model.status,
    error: job.error ? toUserMessage(job.error) : undefined,
    actions: {
      ...model.actions,
      download:
        job.status === 'completed' && job.result
          ? { serverId: job.serverId, uri: job.result.location, account: job.account }
          : undefined,
      runInBrowser: failed && !job.replacedBy ? job.id : undefined,
    },
  };
}

function taskModel(task: ServerTask, origin: string | undefined): RowModel {
  const tone = toneOfStatus(task.status);
  const running = tone === 'running' || tone === 'queued';
  const phase = running && task.phase ? SERVER_PHASE[task.phase] : undefined;
  const status = text(SERVER_STATUS[task.status] ?? ['statusProcessing', 'Running on the server']);
  const uri = task.status === 'completed' ? resultUri(task.folderUri, task.name) : undefined;
  return {
    ...base(
      `${task.serverId}/${task.id}`,
      task.name,
      task.sources.length,
      task.createdAt,
      folderLabel({ kind: 'cloudreve', folderUri: task.folderUri }),
    ),
    where: task.nodeName ?? t('whereServer', 'On the server'),
    tone,
    status: phase ? `${status} · ${text(phase)}` : status,
    progress: running ? serverProgress(task.progress, tone === 'running') : undefined,
    error: task.error ? toUserMessage({ code: 'cloudreve', message: task.error }) : undefined,
    errorHistory: earlierErrors(task.errorHistory, task.error),
    retryCount: task.retryCount ?? 0,
    skipped: task.failedFiles ?? 0,
    actions: {
      openFolder: origin && task.folderUri ? folderPageUrl(origin, task.folderUri) : undefined,
      download: uri ? { serverId: task.serverId, uri, account: task.account } : undefined,
    },
  };
}

/** Today's tasks show the time only; older ones the date too. */
export function formatWhen(ms: number, now = Date.now()): string {
  if (new Date(ms).toDateString() !== new Date(now).toDateString()) return formatDateTime(ms);
  return dateTimeFormat(uiLanguage(), { timeStyle: 'short' }).format(ms);
}

/** Earlier errors only: the history ends with the error already shown. */
function earlierErrors(history: string[] | undefined, current: string | undefined): string[] {
  const list = history ?? [];
  return list.length > 0 && list.at(-1) === current ? list.slice(0, -1) : list;
}

function base(key: string, name: string, sources: number, createdAt: number, folder: string) {
  const title = showHidden(name);
  return {
    key,
    title,
    sources,
    folder,
    created: createdAt ? formatWhen(createdAt) : '',
    errorHistory: [] as string[],
    retryCount: 0,
    skipped: 0,
    unreadable: [],
    renamed: [],
    placeholdersLeft: [],
    renamedCount: 0,
  };
}

/**
 * A row of another account (or an unknown one, saved before accounts were kept): named with its
 * account and offered no action, since the extension holds another account's token.
 */
export function describeOtherAccountRow(row: Row, servers: ServerView[], account: JobAccount | undefined): RowModel {
  const model = describeRow(row, servers);
  const who = account ? showHidden(account.email) : t('unknownAccount', 'unknown account');
  return { ...model, where: `${model.where} · ${who}`, account: who, actions: {} };
}

/** The words, numbers and actions of one row. */
export function describeRow(row: Row, servers: ServerView[]): RowModel {
  const serverId = row.kind === 'job' ? row.job.serverId : row.task.serverId;
  const origin = servers.find((server) => server.id === serverId && server.kind === 'cloudreve')?.origin;
  if (row.kind === 'task') return taskModel(row.task, origin);
  return row.job.kind === 'browser' ? browserModel(row.job, origin) : serverModel(row.job, origin);
}
