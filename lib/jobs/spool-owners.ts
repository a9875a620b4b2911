/**
 * Which spools to collect. A failed job keeps its spool so a retry resumes from it, but
 * once its record is gone ("Clear finished", or a record the browser lost) nothing ever
 * read that spool again: two failed 300 MB jobs left 420 MB in OPFS for good (issue 13 #6).
 * So on start-up and after clearing, every spool no job owns is removed.
 */
import type { BrowserJob } from './types';

/** Job phases whose spool is still needed: running, waiting to run, or kept for a retry. */
const KEEPS_SPOOL: readonly BrowserJob['phase'][] = [
  'queued',
  'listing',
  'zipping',
  'uploading',
  'verifying',
  'failed',
];

/** The spool names (one per job id) in `present` that no job in `jobs` owns. */
export function unownedSpools(
  present: readonly string[],
  jobs: readonly { id: string; kind: string; phase?: string }[],
) {
  const owners = new Set(
    jobs
      .filter((job) => job.kind === 'browser' && KEEPS_SPOOL.includes(job.phase as BrowserJob['phase']))
      .map((job) => job.id),
  );
  return present.filter((name) => !owners.has(name));
}
