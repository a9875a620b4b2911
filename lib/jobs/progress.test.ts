import { describe, expect, it } from 'vitest';
import { createSpeedMeter, etaSeconds } from './progress';

describe('speed meter', () => {
  it('measures the rate over the recent window', () => {
    let now = 0;
    const meter = createSpeedMeter(() => now);
    expect(meter.speed()).toBe(0);
    meter.record(0);
    now = 1000;
    meter.record(1000);
    expect(meter.speed()).toBe(1000);
    // A fast burst long after: old samples fall out of the 5 s window.
    now = 20_000;
    meter.record(2000);
    now = 21_000;
    meter.record(12_000);
    expect(meter.speed()).toBe(10_000);
  });

  it.each([
    [0, 100, 10, 10],
    [50, 100, 10, 5],
    [0, 100, 0, undefined],
    [0, 0, 10, undefined],
  ])('eta(%i of %i at %i/s) = %s', (done, total, speed, expected) => {
    expect(etaSeconds(done, total, speed)).toBe(expected);
  });
});
