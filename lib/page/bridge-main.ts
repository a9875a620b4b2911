/**
 * Page-world side of the bridge: answers selection requests with the Redux selection, and tells
 * the isolated side when the app's stored session changed.
 */
import { BRIDGE_SOURCE, isBridgeMessage, type BridgeMessage } from './bridge-protocol';
import { findReduxStore, selectionFromState, type ReduxStoreLike } from './redux-store';
import { SESSION_KEY } from './session';

const storeOf = (win: Window) => findReduxStore(win.document.getElementById('root'));

export function installSelectionBridge(win: Window): () => void {
  const onMessage = (event: MessageEvent) => {
    if (!isBridgeMessage(event, win) || event.data.kind !== 'selection-request') return;
    let selection: ReturnType<typeof selectionFromState>;
    try {
      const store = storeOf(win);
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

/** How long to look for the app's store after the script starts (the app mounts after it). */
const FIND_STORE_FOR_MS = 30_000;
const FIND_STORE_EVERY_MS = 250;

/**
 * The app writes its session to localStorage and updates its Redux state on a sign-in, a switch
 * of account and a sign-out, in the same document, where no `storage` event fires
 * (docs/cloudreve-web-ui.md#session-storage). So every state change of the store is a moment to
 * compare the stored session with the last one seen (a string comparison, at most once per
 * task); a difference is posted to the isolated side as a hint, which reads the session itself.
 */
export function installSessionWatch(win: Window): () => void {
  let last = win.localStorage.getItem(SESSION_KEY);
  let pending = false;
  let unsubscribe: (() => void) | undefined;
  const compare = () => {
    pending = false;
    const now = win.localStorage.getItem(SESSION_KEY);
    if (now === last) return;
    last = now;
    const hint: BridgeMessage = { source: BRIDGE_SOURCE, kind: 'session-changed', nonce: '' };
    win.postMessage(hint, win.location.origin);
  };
  const onChange = () => {
    if (pending) return;
    pending = true;
    setTimeout(compare, 0);
  };
  const subscribe = (store: ReduxStoreLike & { subscribe?: unknown }) => {
    if (typeof store.subscribe !== 'function') return false;
    unsubscribe = (store.subscribe as (listener: () => void) => () => void)(onChange);
    return true;
  };
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const find = () => {
    let store: ReturnType<typeof storeOf>;
    try {
      store = storeOf(win);
    } catch {
      return;
    }
    if (store && subscribe(store)) return;
    if (Date.now() - started < FIND_STORE_FOR_MS) timer = setTimeout(find, FIND_STORE_EVERY_MS);
  };
  find();
  return () => {
    clearTimeout(timer);
    unsubscribe?.();
  };
}
