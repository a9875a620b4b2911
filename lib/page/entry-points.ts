/**
 * Installs the page's Archive entry points (toolbar button, floating button,
 * context-menu item) and keeps them in step with the app's DOM. Everything
 * ends with `signal` (the content script context's), so a reloaded extension
 * leaves nothing behind.
 */
import type { ArchiveFlow } from './archive-flow';
import { createMenuItemSync } from './context-menu-item';
import { createFloatingButton, syncToolbarButton } from './page-buttons';

export function installEntryPoints(win: Window, flow: ArchiveFlow, signal: AbortSignal): void {
  const doc = win.document;
  const open = () => void flow.open();
  const fab = createFloatingButton(doc, open);
  const syncMenu = createMenuItemSync(
    doc,
    (closeMenu) => {
      // Read first: the selection the menu was opened for (right-clicking an unselected item replaced it).
      const selection = flow.readSelection();
      closeMenu();
      void flow.open(selection);
    },
    signal,
  );

  // Each step is idempotent, so the mutations our own inserts cause settle after one more pass.
  const sync = () => {
    fab.sync(syncToolbarButton(doc, open));
    syncMenu();
  };
  const observer = new MutationObserver(sync);
  observer.observe(doc.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
  sync();

  signal.addEventListener('abort', () => {
    observer.disconnect();
    fab.remove();
    flow.close();
    doc
      .querySelectorAll('[data-cloudreve-archiver-toolbar], [data-cloudreve-archiver-menu]')
      .forEach((el) => el.remove());
  });
}
