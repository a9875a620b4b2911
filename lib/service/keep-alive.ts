/**
 * Keeps the MV3 service worker alive while long work runs: a trivial
 * extension API call every 25 s resets the 30 s idle timer (docs/browser-platform.md#service-worker-lifetime,
 * "Migrate to a service worker → keep service worker alive"). Reference
 * counted, so overlapping jobs share one timer.
 *
 * While work is held, a 30 s alarm exists too: alarms outlive the worker, so
 * if it is killed anyway the alarm wakes a new one, which resumes the work.
 * With nothing held the alarm is cleared, so an idle extension is not woken.
 */
import { browser } from '#imports';

export const RESUME_ALARM = 'resume';

export function createKeepAlive(intervalMs = 25_000) {
  let holders = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  function hold(): () => void {
    holders += 1;
    if (holders === 1) {
      timer = setInterval(() => void browser.runtime.getPlatformInfo(), intervalMs);
      // docs/browser-platform.md#alarms: alarms fire at most every 30 s.
      void browser.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      holders -= 1;
      if (holders === 0) {
        clearInterval(timer);
        timer = undefined;
        void browser.alarms.clear(RESUME_ALARM);
      }
    };
  }

  return Object.assign(hold, {
    /** Clears an alarm a dead worker left behind, unless work is held again by now. */
    async clearIfIdle() {
      if (holders === 0) await browser.alarms.clear(RESUME_ALARM);
    },
  });
}
