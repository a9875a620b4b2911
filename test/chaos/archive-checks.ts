/** What every chaos case checks of a job that had to finish, and of the storm it met. */
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { BrowserJob } from '../../lib/jobs/types';
import { unzipTest } from '../integration/zip/helpers';
import type { FlakyProxy } from './flaky-proxy';

/** The job finished, and its archive at `file` has the job's size, passes unzip -t and lists `names`. */
export async function expectFinishedArchive(job: BrowserJob, file: string, names: string[]): Promise<void> {
  expect(job.error).toBeUndefined();
  expect(job.phase).toBe('done');
  expect((await readFile(file)).length).toBe(job.archiveSize);
  const report = await unzipTest(file);
  expect(report).toContain('No errors detected');
  for (const name of names) expect(report).toContain(name);
}

/** The storm really happened, to every kind of fault. */
export function expectEveryFault(proxy: FlakyProxy): void {
  for (const fault of ['500', '502', '503', 'reset', 'cut-body'] as const)
    expect(proxy.counts[fault]).toBeGreaterThan(0);
}
