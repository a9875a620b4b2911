/** Runs one async action at a time and keeps its error as user text (lib/user-message.ts). */
import { useState } from 'preact/hooks';
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
  return { busy, error, run, clearError: () => setError(undefined) };
}
