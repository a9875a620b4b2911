import { describe, expect, it, vi } from 'vitest';
import { installSessionWatch } from './bridge-main';
import { SESSION_KEY } from './session';

/** A window with just what the watch touches: localStorage, postMessage, and a React root holding a store. */
function fakePage() {
  const items = new Map<string, string>();
  const listeners = new Set<() => void>();
  const store = {
    getState: () => ({}),
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const root = { __reactContainer$x: { memoizedProps: { store } } };
  const posted: unknown[] = [];
  const win = {
    localStorage: { getItem: (key: string) => items.get(key) ?? null },
    location: { origin: 'http://cloud.test' },
    document: { getElementById: (id: string) => (id === 'root' ? root : null) },
    postMessage: (message: unknown) => void posted.push(message),
  } as unknown as Window;
  return { win, items, posted, dispatch: () => listeners.forEach((listener) => listener()), listeners };
}

describe('installSessionWatch', () => {
  it('posts one data-less hint when a store change comes with another stored session, none otherwise', async () => {
    vi.useFakeTimers();
    try {
      const page = fakePage();
      page.items.set(SESSION_KEY, '{"current":"a"}');
      const stop = installSessionWatch(page.win);
      page.dispatch();
      await vi.runAllTimersAsync();
      expect(page.posted).toEqual([]);
      page.items.set(SESSION_KEY, '{"current":"b"}');
      page.dispatch();
      page.dispatch();
      await vi.runAllTimersAsync();
      expect(page.posted).toEqual([{ source: 'cloudreve-archiver-bridge', kind: 'session-changed', nonce: '' }]);
      stop();
      expect(page.listeners.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
