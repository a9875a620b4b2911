/** Runs one async action at a time and keeps its error as user text (lib/user-message.ts). */
import { browser } from '#imports';
import { useState } from 'preact/hooks';
import { originPattern } from '@/lib/servers/host-pattern';
import { errorCodeOf, toUserMessage } from '@/lib/user-message';

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; text: string }>();
  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(undefined);
    try {
      return await action();
    } catch (caught) {
      setError({ code: errorCodeOf(caught), text: toUserMessage(caught) });
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  /** Asks for host access to `origin` now, inside the click (the prompt needs its user gesture), then runs `then`. */
  function grant(origin: string, then: () => void) {
    const request = browser.permissions.request({ origins: [originPattern(origin)] });
    void run(async () => (await request, then()));
  }
  return { busy, error, run, grant, clearError: () => setError(undefined) };
}
