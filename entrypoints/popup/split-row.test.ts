import { describe, expect, it } from 'vitest';
import { newBrowserJob } from '@/lib/jobs/testing/browser-job';
import type { BrowserJob } from '@/lib/jobs/types';
import { describeRow } from './row-model';

const plan = [
  { first: 0, count: 4, bound: 300 },
  { first: 4, count: 3, bound: 290 },
  { first: 7, count: 5, bound: 299 },
];
const row = (job: BrowserJob) => describeRow({ key: `job:${job.id}`, createdAt: 1, kind: 'job', job }, []);

describe('a split job in the popup', () => {
  it('says which part is being made', () => {
    const job = newBrowserJob('j', {
      phase: 'zipping',
      split: { partBytes: 300, plan, done: [{ name: 'out.part1.zip', size: 300 }] },
    });
    expect(row(job).status).toBe('Part 2 of 3 · Compressing');
  });

  it('names every part once done', () => {
    const done = [1, 2, 3].map((n) => ({ name: `out.part${n}.zip`, size: 300 }));
    const job = newBrowserJob('j', {
      phase: 'done',
      split: { partBytes: 300, plan, done },
      result: { name: 'out.part1.zip', size: 900, location: 'cloudreve://my' },
    });
    expect(row(job).status).toBe('3 parts: out.part1.zip, out.part2.zip, out.part3.zip · Done');
  });

  it('says nothing of parts when the archive fitted in one', () => {
    const job = newBrowserJob('j', { phase: 'zipping', split: { partBytes: 300, plan: plan.slice(0, 1), done: [] } });
    expect(row(job).status).toBe('Compressing');
  });
});
