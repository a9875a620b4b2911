import { describe, expect, it } from 'vitest';
import { newBrowserJob } from './testing/browser-job';
import { unownedSpools } from './spool-owners';

describe('unownedSpools', () => {
  it('keeps the spools of running, queued and failed jobs and lets every other one go', () => {
    const jobs = [
      newBrowserJob('running', { phase: 'zipping' }),
      newBrowserJob('queued', { phase: 'queued' }),
      newBrowserJob('failed', { phase: 'failed' }),
      newBrowserJob('done', { phase: 'done' }),
      newBrowserJob('cancelled', { phase: 'cancelled' }),
    ];
    const present = ['running', 'queued', 'failed', 'done', 'cancelled', 'cleared-long-ago'];
    expect(unownedSpools(present, jobs)).toEqual(['done', 'cancelled', 'cleared-long-ago']);
  });

  it('treats server jobs as owning nothing', () => {
    expect(unownedSpools(['t1'], [{ id: 't1', kind: 'server' }])).toEqual(['t1']);
  });
});
