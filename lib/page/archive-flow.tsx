/**
 * What every entry point leads to (toolbar button, floating button, context
 * menu item, keyboard command, browser menu): read the selection, ask the
 * worker about this server, open the Archive dialog in a shadow root.
 */
import { render } from 'preact';
import { AppError } from '../errors';
import { sendMessage } from '../messaging/protocol';
import { toUserMessage } from '../user-message';
import { ArchiveDialog } from './ArchiveDialog';
import { PAGE_UI_CSS } from './dialog-styles';
import { accountsDiffer, readPageEmail } from './page-account';
import { readSelection, type Selection } from './selection';
import { createShadowHost, type ShadowHost } from './shadow-host';
import { pageTheme } from './theme';
import { showToast } from './toast';

export interface ArchiveFlowDeps {
  win: Window;
  send?: typeof sendMessage;
  read?: (win: Window) => Promise<Selection>;
  /** Runs before the worker is asked anything (the entrypoint reports the page's session: a sign-in a moment ago has not been seen yet). */
  beforeOpen?: () => Promise<unknown>;
}

export function createArchiveFlow({ win, send = sendMessage, read = readSelection, beforeOpen }: ArchiveFlowDeps) {
  let mounted: ShadowHost | undefined;

  function close(restoreFocus?: Element | null) {
    if (!mounted) return;
    render(null, mounted.root);
    mounted.remove();
    mounted = undefined;
    if (restoreFocus instanceof HTMLElement) restoreFocus.focus();
  }

  return {
    /** Reads the selection now (e.g. while the context menu is still open). */
    readSelection: () => read(win),

    /** Opens the dialog for `selection` (default: read it now); problems become a toast. */
    async open(selection: Promise<Selection> = read(win)): Promise<void> {
      if (mounted) return mounted.root.querySelector<HTMLElement>('input')?.focus();
      const opener = win.document.activeElement;
      try {
        await beforeOpen?.();
        const [picked, context] = await Promise.all([selection, send('getPageContext')]);
        if (!context) throw new AppError('forbidden-origin', 'This page is not a connected server');
        if (picked.uris.length === 0) throw new AppError('selection-empty', 'Nothing is selected');
        if (accountsDiffer(readPageEmail(win.localStorage), context.server.account?.email)) {
          throw new AppError('account-mismatch', 'The page and the extension use different accounts');
        }
        if (mounted) return;
        mounted = createShadowHost(win.document, 'dialog', PAGE_UI_CSS);
        render(
          <ArchiveDialog
            selection={picked}
            context={context}
            dark={pageTheme(win).dark}
            start={(request) => send('archiveFromPage', request)}
            onClose={() => close(opener)}
          />,
          mounted.root,
        );
      } catch (error) {
        showToast(win.document, toUserMessage(error));
      }
    },

    close: () => close(),
  };
}

export type ArchiveFlow = ReturnType<typeof createArchiveFlow>;
