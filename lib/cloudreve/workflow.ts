/** Server-side archive tasks (docs/cloudreve-api.md#archive-tasks; FE `src/api/workflow.ts`). */
import { AppError, isAppError } from '../errors';
import type { CloudreveClient } from './client';
import { MAX_NAME_TRIES, numberedName } from '../archive/free-name';
import {
  TaskStatus,
  type ArchiveWorkflowService,
  type TaskListResponse,
  type TaskProgresses,
  type TaskResponse,
} from './types';
import { joinUri } from './uri';

/** `POST /workflow/archive`; `dst` is the full zip URI. 40007 → 'group-not-allowed', 40004 → 'destination-exists'. */
export function createArchiveTask(
  client: CloudreveClient,
  options: { src: string[]; dst: string; preferredNodeId?: string; signal?: AbortSignal },
): Promise<TaskResponse> {
  const body: ArchiveWorkflowService = { src: options.src, dst: options.dst };
  // Pro only; sent only when asked for (docs/cloudreve-api.md#archive-tasks).
  if (options.preferredNodeId) body.preferred_node_id = options.preferredNodeId;
  return client.request<TaskResponse>('POST', '/workflow/archive', { body, signal: options.signal });
}

/** Creates the task at `name`, else `name (1).zip`, `name (2).zip`, … when the server says 40004. */
export async function createArchiveTaskNoClobber(
  client: CloudreveClient,
  options: { src: string[]; folderUri: string; name: string; preferredNodeId?: string; signal?: AbortSignal },
): Promise<{ task: TaskResponse; name: string; dst: string }> {
  for (let n = 0; n < MAX_NAME_TRIES; n++) {
    const name = numberedName(options.name, n);
    const dst = joinUri(options.folderUri, name);
    try {
      const task = await createArchiveTask(client, { ...options, dst });
      return { task, name, dst };
    } catch (error) {
      if (!(isAppError(error) && error.code === 'destination-exists')) throw error;
    }
  }
  throw new AppError('destination-exists', `No free name like "${options.name}" in ${options.folderUri}`);
}

/** `GET /workflow`: newest first, cursor paginated; `page_size` must be 10–100. */
export function listTasks(
  client: CloudreveClient,
  options: {
    category?: 'general' | 'downloading' | 'downloaded';
    pageSize?: number;
    nextPageToken?: string;
    signal?: AbortSignal;
  } = {},
): Promise<TaskListResponse> {
  const pageSize = Math.min(Math.max(options.pageSize ?? 20, 10), 100);
  return client.request<TaskListResponse>('GET', '/workflow', {
    query: { page_size: pageSize, category: options.category ?? 'general', next_page_token: options.nextPageToken },
    signal: options.signal,
  });
}

/** `GET /workflow/progress/{id}`; `{}` once the task left the in-memory registry. */
export function getTaskProgress(client: CloudreveClient, id: string, signal?: AbortSignal): Promise<TaskProgresses> {
  return client.request<TaskProgresses>('GET', `/workflow/progress/${encodeURIComponent(id)}`, { signal });
}

/** `error`, `canceled` and `completed` are final; `suspending` is not. */
export function hasTaskEnded(status: TaskStatus): boolean {
  return status === TaskStatus.error || status === TaskStatus.canceled || status === TaskStatus.completed;
}
