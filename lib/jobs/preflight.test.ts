import { describe, expect, it } from 'vitest';
import { blocksStart, preflight, QUOTA_MARGIN } from './preflight';
import { estimateMs, KEPT_SAMPLES, medianSpeed, withSample, type SpeedHistory } from './speed-history';

const MB = 1024 * 1024;

describe('preflight', () => {
  const archive = { min: 10 * MB, max: 30 * MB };

  it('passes when every fact has room for the largest archive, or is unknown', () => {
    expect(preflight({ archive, sourceBytes: 29 * MB, facts: {}, inBrowser: true })).toEqual([]);
    const roomy = { capacityFree: 31 * MB, maxFileSize: 30 * MB, browserFree: 29 * MB + QUOTA_MARGIN };
    expect(preflight({ archive, sourceBytes: 29 * MB, facts: roomy, inBrowser: true })).toEqual([]);
  });

  it('fails when even the smallest archive is over the free capacity or the policy limit', () => {
    const checks = preflight({
      archive,
      sourceBytes: 29 * MB,
      facts: { capacityFree: 9 * MB, maxFileSize: 5 * MB },
      inBrowser: false,
    });
    expect(checks).toEqual([
      { kind: 'capacity', verdict: 'fails', need: 10 * MB, have: 9 * MB },
      { kind: 'max-size', verdict: 'fails', need: 10 * MB, have: 5 * MB },
    ]);
    expect(blocksStart(checks)).toBe(true);
  });

  it('only warns when just the largest archive would not fit', () => {
    const checks = preflight({ archive, sourceBytes: 29 * MB, facts: { maxFileSize: 20 * MB }, inBrowser: false });
    expect(checks).toEqual([{ kind: 'max-size', verdict: 'may-fail', need: 30 * MB, have: 20 * MB }]);
    expect(blocksStart(checks)).toBe(false);
  });

  it("checks the browser's storage with the engine's rule, only for the in-browser route", () => {
    const facts = { browserFree: 29 * MB + QUOTA_MARGIN - 1 };
    expect(preflight({ archive, sourceBytes: 29 * MB, facts, inBrowser: false })).toEqual([]);
    expect(preflight({ archive, sourceBytes: 29 * MB, facts, inBrowser: true })).toEqual([
      { kind: 'browser-storage', verdict: 'fails', need: 29 * MB + QUOTA_MARGIN, have: facts.browserFree },
    ]);
  });
});

describe('speed history', () => {
  it('has no estimate without history', () => {
    expect(medianSpeed({}, 'server')).toBeUndefined();
    expect(estimateMs(1000, undefined)).toBeUndefined();
  });

  it('estimates from the median of the kept samples', () => {
    let history: SpeedHistory = {};
    history = withSample(history, 'browser', { bytes: 10 * MB, ms: 1000 });
    history = withSample(history, 'browser', { bytes: 100 * MB, ms: 1000 }); // an odd fast one
    history = withSample(history, 'browser', { bytes: 20 * MB, ms: 1000 });
    expect(medianSpeed(history, 'browser')).toBe(20 * MB);
    expect(estimateMs(60 * MB, medianSpeed(history, 'browser'))).toBe(3000);
    expect(medianSpeed(history, 'server')).toBeUndefined();
  });

  it('keeps the last samples only and ignores jobs too short to measure', () => {
    let history: SpeedHistory = {};
    for (let i = 1; i <= KEPT_SAMPLES + 5; i++) history = withSample(history, 'server', { bytes: i * MB, ms: 1000 });
    expect(history.server).toHaveLength(KEPT_SAMPLES);
    expect(history.server![0]!.bytes).toBe(6 * MB);
    expect(withSample(history, 'server', { bytes: MB, ms: 10 })).toBe(history);
    expect(withSample(history, 'server', { bytes: 0, ms: 5000 })).toBe(history);
    const once = withSample(history, 'server', { bytes: MB, ms: 1000, jobId: 'j' });
    expect(withSample(once, 'server', { bytes: MB, ms: 1000, jobId: 'j' })).toBe(once);
  });
});
