/**
 * Messages between the page-world script and the isolated content script,
 * carried by `window.postMessage`. Both sides check the event's source window
 * and origin and the message's shape; a reply must echo the request's nonce.
 */

export const BRIDGE_SOURCE = 'cloudreve-archiver-bridge';

export interface PageSelection {
  /** Selected items' `FileResponse.path` URIs, exactly as the app keeps them. */
  uris: string[];
  /** Display names of the selected items, in the same order. */
  names: string[];
  /** Current folder (`pure_path`: without a search query). */
  folder: string;
  layout?: string;
}

export type BridgeMessage =
  | { source: typeof BRIDGE_SOURCE; kind: 'selection-request'; nonce: string }
  | { source: typeof BRIDGE_SOURCE; kind: 'selection-reply'; nonce: string; selection: PageSelection | null }
  /**
   * The page world saw the app's state change and its stored session with it (a sign-in, a
   * switch, a sign-out). Only a hint: any page script can post it, and the isolated side reads
   * the session itself and the worker asks the server whose it is (lib/page/session-watch.ts).
   */
  | { source: typeof BRIDGE_SOURCE; kind: 'session-changed'; nonce: string };

export function isBridgeMessage(event: MessageEvent, win: Window): event is MessageEvent<BridgeMessage> {
  const data = event.data as Partial<BridgeMessage> | null;
  return (
    event.source === win &&
    event.origin === win.location.origin &&
    typeof data === 'object' &&
    data !== null &&
    data.source === BRIDGE_SOURCE &&
    typeof data.nonce === 'string' &&
    (data.kind === 'selection-request' || data.kind === 'selection-reply' || data.kind === 'session-changed')
  );
}

export function isPageSelection(value: unknown): value is PageSelection {
  const selection = value as PageSelection;
  return (
    typeof selection === 'object' &&
    selection !== null &&
    Array.isArray(selection.uris) &&
    selection.uris.every((uri) => typeof uri === 'string' && uri.startsWith('cloudreve://')) &&
    Array.isArray(selection.names) &&
    selection.names.length === selection.uris.length &&
    selection.names.every((name) => typeof name === 'string') &&
    typeof selection.folder === 'string' &&
    selection.folder.startsWith('cloudreve://')
  );
}
