/** Isolated-world side of the selection bridge: asks the page-world script and checks its answer. */
import {
  BRIDGE_SOURCE,
  isBridgeMessage,
  isPageSelection,
  type BridgeMessage,
  type PageSelection,
} from './bridge-protocol';

/**
 * The page's exact selection, or null when the page world did not answer in
 * time or answered nonsense. The page-world script answers within
 * milliseconds when it is there; the generous timeout only covers a busy
 * machine (seen in CI: 500 ms was too short under load, and the DOM fallback
 * then refused a list view with rows scrolled away).
 */
export function requestPageSelection(win: Window, timeoutMs = 3_000): Promise<PageSelection | null> {
  const nonce = crypto.randomUUID();
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(null), timeoutMs);
    function finish(result: PageSelection | null) {
      clearTimeout(timer);
      win.removeEventListener('message', onMessage);
      resolve(result);
    }
    function onMessage(event: MessageEvent) {
      if (!isBridgeMessage(event, win) || event.data.kind !== 'selection-reply' || event.data.nonce !== nonce) return;
      finish(isPageSelection(event.data.selection) ? event.data.selection : null);
    }
    win.addEventListener('message', onMessage);
    const request: BridgeMessage = { source: BRIDGE_SOURCE, kind: 'selection-request', nonce };
    win.postMessage(request, win.location.origin);
  });
}
