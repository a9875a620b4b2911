/**
 * Reads only tests need: the server's version and one task by id, over a real
 * client (test/integration/cloudreve-client.test.ts).
 */
import type { CloudreveClient } from '../client';
import type { TaskResponse } from '../types';
import { listTasks } from '../workflow';

/** The server version, e.g. `4.18.0` or `4.18.0-pro` (BE `routers/controllers/site.go` `Ping`). */
export function ping(client: CloudreveClient, signal?: AbortSignal): Promise<string> {
  return client.request<string>('GET', '/site/ping', { auth: false, signal });
}

/** Finds one task by id; there is no get-one endpoint, so this pages through the list. */
export async function findTask(
  client: CloudreveClient,
  id: string,
  options: { maxPages?: number; signal?: AbortSignal } = {},
): Promise<TaskResponse | undefined> {
  let nextPageToken: string | undefined;
  for (let page = 0; page < (options.maxPages ?? 5); page++) {
    const list = await listTasks(client, { pageSize: 100, nextPageToken, signal: options.signal });
    const task = list.tasks.find((candidate) => candidate.id === id);
    if (task) return task;
    nextPageToken = list.pagination.next_token;
    if (!nextPageToken) return undefined;
  }
  return undefined;
}
