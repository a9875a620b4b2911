/** Page-world side of the selection bridge: answers requests with the Redux selection. */
import { BRIDGE_SOURCE, isBridgeMessage, type BridgeMessage } from './bridge-protocol';
import { findReduxStore, selectionFromState } from './redux-store';

export function installSelectionBridge(win: Window): () => void {
  const onMessage = (event: MessageEvent) => {
    if (!isBridgeMessage(event, win) || event.data.kind !== 'selection-request') return;
    let selection: ReturnType<typeof selectionFromState>;
    try {
      const store = findReduxStore(win.document.getElementById('root'));
      selection = store ? selectionFromState(store.getState()) : null;
    } catch {
      // React internals changed shape: the isolated side falls back to the DOM.
      selection = null;
    }
    const reply: BridgeMessage = { source: BRIDGE_SOURCE, kind: 'selection-reply', nonce: event.data.nonce, selection };
    win.postMessage(reply, win.location.origin);
  };
  win.addEventListener('message', onMessage);
  return () => win.removeEventListener('message', onMessage);
}
