import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runArchiveTask } from '../archive-task';
import type { ApiContext, Route } from '../context';
import { requireUser } from '../context';
import { PERMISSION } from '../config';
import { ApiError, readJson, sendData } from '../http';
import { decodeId, encodeId } from '../ids';
import { rfc3339 } from '../jwt';
import type { SandboxTask } from '../state';
import { parseCrUri } from '../uri';

const CATEGORIES = ['general', 'downloading', 'downloaded'];
/** Seeded Master node (BE inventory/migration.go): capabilities bits 1–3 = "Dg==". */
const MASTER_NODE = { id: encodeId('policy', 1), name: 'Master', type: 'master', capabilities: 'Dg==' };

/** TaskResponse (BE service/explorer/response.go); `node` only in lists. */
function taskJson(task: SandboxTask, withNode: boolean) {
  return {
    created_at: rfc3339(task.createdAt),
    updated_at: rfc3339(task.updatedAt),
    id: task.id,
    status: task.status,
    type: task.type,
    ...(withNode ? { node: MASTER_NODE } : {}),
    summary: { ...(task.phase ? { phase: task.phase } : {}), props: { ...task.props } },
    ...(task.error ? { error: task.error, error_history: [...task.errorHistory] } : {}),
    duration: task.durationMs,
    ...(task.resumeTime ? { resume_time: task.resumeTime } : {}),
    retry_count: task.retryCount,
  };
}

async function createArchive(ctx: ApiContext): Promise<void> {
  const user = requireUser(ctx);
  const body = await readJson(ctx.req);
  // Binding runs before the group check (BE routers/router.go FromJSON).
  if (!Array.isArray(body.src) || body.src.length === 0 || !body.src.every((s) => typeof s === 'string')) {
    throw new ApiError(
      40001,
      "Key: 'ArchiveWorkflowService.Src' Error:Field validation for 'Src' failed on the 'min' tag",
    );
  }
  if (typeof body.dst !== 'string' || body.dst === '')
    throw new ApiError(
      40001,
      "Key: 'ArchiveWorkflowService.Dst' Error:Field validation for 'Dst' failed on the 'required' tag",
    );
  const { app } = ctx;
  if (!app.state.hasPermission(user, PERMISSION.archiveTask))
    throw new ApiError(40007, 'Group not allowed to compress files');
  const dst = parseCrUri(body.dst);
  if (!dst || dst.filesystem !== 'my' || dst.segments.length === 0) throw new ApiError(40001, 'Invalid destination');
  if (await app.files.stat(user.num, dst.segments)) throw new ApiError(40004, 'Object existed');
  // The dry-run upload creates missing parents, which stay (docs/cloudreve-api.md#archive-tasks).
  await mkdir(dirname(app.files.resolve(user.num, dst.segments)), { recursive: true });
  const num = app.state.tasks.length + 1;
  const now = Date.now();
  const task: SandboxTask = {
    num,
    id: encodeId('task', num),
    userNum: user.num,
    type: 'create_archive',
    status: 'queued',
    createdAt: now,
    updatedAt: now,
    phase: '',
    props: { src_multiple: body.src as string[], dst: body.dst, failed: 0 },
    errorHistory: [],
    durationMs: 0,
    retryCount: 0,
    progress: {},
  };
  app.state.tasks.push(task);
  void runArchiveTask(app, user, task);
  sendData(ctx.res, taskJson(task, false));
}

function listTasks(ctx: ApiContext): void {
  const user = requireUser(ctx);
  const params = ctx.url.searchParams;
  const pageSize = Number(params.get('page_size'));
  const category = params.get('category') ?? '';
  if (!Number.isInteger(pageSize) || pageSize < 10 || pageSize > 100 || !CATEGORIES.includes(category)) {
    throw new ApiError(40001, "Key: 'ListTaskService.PageSize' Error:Field validation for 'PageSize' failed");
  }
  const token = params.get('next_page_token');
  const before = token ? decodeId('task', token) : Number.POSITIVE_INFINITY;
  if (before === undefined) throw new ApiError(40001, 'Invalid next_page_token');
  // Newest first, cursor pagination (BE inventory/task.go). Only archive tasks exist here, all "general".
  const mine = ctx.app.state.tasks
    .filter((task) => task.userNum === user.num && category === 'general' && task.num < before)
    .sort((a, b) => b.num - a.num);
  const page = mine.slice(0, pageSize);
  const more = mine.length > pageSize;
  sendData(ctx.res, {
    tasks: page.map((task) => taskJson(task, true)),
    pagination: {
      page: 0,
      page_size: pageSize,
      is_cursor: true,
      ...(more ? { next_token: page[page.length - 1]!.id } : {}),
    },
  });
}

function progress(ctx: ApiContext): void {
  const user = requireUser(ctx);
  const num = decodeId('task', ctx.params[0]!);
  if (num === undefined) throw new ApiError(40001, 'Failed to parse object ID');
  const task = ctx.app.state.tasks.find((t) => t.num === num);
  const allowed = task && (task.userNum === user.num || ctx.app.state.hasPermission(user, 0));
  // `{}` once the task left the in-memory registry or for strangers (BE TaskPhaseProgress).
  sendData(ctx.res, allowed && task.progress ? structuredClone(task.progress) : {});
}

/** workflow/* routes (docs/cloudreve-api.md#archive-tasks). */
export const workflowRoutes: Route[] = [
  { method: 'POST', pattern: /^\/workflow\/archive$/, handle: createArchive },
  { method: 'GET', pattern: /^\/workflow$/, handle: listTasks },
  { method: 'GET', pattern: /^\/workflow\/progress\/([^/]+)$/, handle: progress },
];
