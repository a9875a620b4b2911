import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createKeepAlive, RESUME_ALARM } from './keep-alive';

const alarm = () => fakeBrowser.alarms.get(RESUME_ALARM);

describe('keep-alive', () => {
  beforeEach(() => fakeBrowser.reset());

  it('pings the runtime and keeps a resume alarm only while work is held', async () => {
    vi.useFakeTimers();
    const ping = vi.spyOn(fakeBrowser.runtime, 'getPlatformInfo').mockResolvedValue({} as never);
    const hold = createKeepAlive(25_000);
    expect(await alarm()).toBeUndefined();

    const releaseA = hold();
    const releaseB = hold();
    await vi.advanceTimersByTimeAsync(50_000);
    expect(ping).toHaveBeenCalledTimes(2);
    expect(await alarm()).toMatchObject({ name: RESUME_ALARM, periodInMinutes: 0.5 });

    releaseA();
    releaseA(); // a second release of the same hold changes nothing
    expect(await alarm()).toBeDefined();
    releaseB();
    await vi.advanceTimersByTimeAsync(50_000);
    expect(ping).toHaveBeenCalledTimes(2);
    expect(await alarm()).toBeUndefined();
    vi.useRealTimers();
  });

  it('clears an alarm left by a dead worker only when idle', async () => {
    await fakeBrowser.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
    const hold = createKeepAlive();
    const release = hold();
    await hold.clearIfIdle();
    expect(await alarm()).toBeDefined();
    release();
    await fakeBrowser.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
    await hold.clearIfIdle();
    expect(await alarm()).toBeUndefined();
  });
});
