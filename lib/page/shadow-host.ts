/**
 * Our own UI on the Cloudreve page lives in closed shadow roots: the page's CSS
 * cannot reach in, ours cannot leak out, and the page's scripts cannot reach
 * the dialog's fields or buttons (`host.shadowRoot` is null for a closed root;
 * DOM Standard "attachShadow"). Tests reach it through the DevTools protocol.
 */

/** Events that must not reach the page: its document-level key handlers (Escape clears the selection, Ctrl+A selects all) would act on keys typed into our dialog, whose target they see retargeted to the host. */
const CONTAINED = ['keydown', 'keyup', 'keypress', 'mousedown', 'pointerdown', 'click', 'contextmenu'] as const;

export interface ShadowHost {
  host: HTMLElement;
  root: ShadowRoot;
  remove(): void;
}

/** A `<div>` host appended to `<body>` with `css` inside its shadow root. */
export function createShadowHost(doc: Document, testId: string, css: string): ShadowHost {
  const host = doc.createElement('div');
  host.setAttribute('data-cloudreve-archiver', testId);
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = css;
  root.append(style);
  for (const type of CONTAINED) host.addEventListener(type, (event) => event.stopPropagation());
  doc.body.append(host);
  return { host, root, remove: () => host.remove() };
}
