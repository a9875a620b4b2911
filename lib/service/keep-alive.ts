/**
 * Keeps the MV3 service worker alive while long work runs: a trivial
 * extension API call every 25 s resets the 30 s idle timer (platform.md §1,
 * "Migrate to a service worker → keep service worker alive"). Reference
 * counted, so overlapping jobs share one timer.
 */
import { browser } from '#imports';

export function createKeepAlive(intervalMs = 25_000) {
  let holders = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  return function hold(): () => void {
    holders += 1;
    timer ??= setInterval(() => void browser.runtime.getPlatformInfo(), intervalMs);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      holders -= 1;
      if (holders === 0 && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  };
}
