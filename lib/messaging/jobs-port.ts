/**
 * The `jobs` port: the worker pushes a snapshot, then every change, to each
 * extension page that connects (lib/service/hub.ts).
 */
import type { Job } from '../jobs/types';
import type { ServerView } from '../servers/types';
import type { FeedUpdate } from './payloads';

/** Named long-lived ports (style.md: port names as constants). */
export const PORTS = { jobs: 'jobs' } as const;

/** What the worker pushes on the `jobs` port. */
export type JobsPortMessage =
  | { type: 'snapshot'; jobs: Job[]; servers: ServerView[] }
  | { type: 'job'; job: Job }
  | { type: 'servers'; servers: ServerView[] }
  | ({ type: 'server-tasks' } & FeedUpdate);
