/**
 * Sees the page's session change within a moment, without polling (issue 15: a new sign-in was
 * seen up to 30 s late). Two signals, both only hints: the page-world bridge's `session-changed`
 * (the app's Redux store changed and its stored session with it, lib/page/bridge-main.ts) and the
 * `storage` event (another tab of the origin signed in or out). Either can be forged by a script of
 * the page, so a hint only makes the content script read the session again and report it; the
 * worker asks the server whose it is (`GET /user/me`) and never adopts a second account silently
 * (SECURITY.md). Reports are spaced out, so a page firing hints in a loop costs one check per gap.
 */
import { isBridgeMessage } from './bridge-protocol';
import { SESSION_KEY } from './session';

/** At most one report per this gap; a sign-in is seen well within a second. */
export const HINT_GAP_MS = 250;

export function watchPageSession(win: Window, report: () => unknown, signal: AbortSignal, gapMs = HINT_GAP_MS): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (timer !== undefined || signal.aborted) return;
    timer = setTimeout(() => {
      timer = undefined;
      report();
    }, gapMs);
  };
  win.addEventListener(
    'message',
    (event: MessageEvent) => {
      if (isBridgeMessage(event, win) && event.data.kind === 'session-changed') schedule();
    },
    { signal },
  );
  win.addEventListener(
    'storage',
    (event: StorageEvent) => {
      // `key` is null when the whole storage was cleared (a sign-out of every account).
      if (event.isTrusted && (event.key === SESSION_KEY || event.key === null)) schedule();
    },
    { signal },
  );
  signal.addEventListener('abort', () => clearTimeout(timer));
}
