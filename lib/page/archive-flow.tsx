/**
 * What every entry point leads to (toolbar button, floating button, context
 * menu item, keyboard command, browser menu): read the selection, ask the
 * worker about this server, open the Archive dialog in a closed shadow root.
 * Nothing opens unless the page is signed in, or shows a share link (whose
 * visitor may archive it to this computer without an account); a page signed
 * in with another account first asks the user which account to use; the names
 * the dialog shows are the server's.
 */
import { render, type VNode } from 'preact';
import { isShareUri } from '../cloudreve/share';
import { AppError } from '../errors';
import { sendMessage, type PageContext } from '../messaging/protocol';
import { pageSessionState } from '../servers/types';
import { toUserMessage } from '../user-message';
import { AccountChoice } from './AccountChoice';
import { ArchiveDialog } from './ArchiveDialog';
import { SHOWN_NAMES } from './dialog-text';
import { PAGE_UI_CSS } from './dialog-styles';
import { readSelection, wholeFolderSelection, type Selection } from './selection';
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
  let opening = false;

  function close(restoreFocus?: Element | null) {
    if (!mounted) return;
    render(null, mounted.root);
    mounted.remove();
    mounted = undefined;
    if (restoreFocus instanceof HTMLElement) restoreFocus.focus();
  }

  function show(view: VNode) {
    mounted ??= createShadowHost(win.document, 'dialog', PAGE_UI_CSS);
    render(view, mounted.root);
  }

  const failed = (error: unknown) => showToast(win.document, toUserMessage(error));

  /** The Archive dialog, once the worker has the server's names for the first items. */
  async function showArchiveDialog(picked: Selection, context: PageContext, opener: Element | null, anonymous = false) {
    const { names } = await send('describeSelection', picked.uris.slice(0, SHOWN_NAMES));
    show(
      <ArchiveDialog
        selection={picked}
        names={names}
        context={context}
        anonymous={anonymous}
        dark={pageTheme(win).dark}
        start={(request) => send('archiveFromPage', request)}
        ask={send}
        onClose={() => close(opener)}
      />,
    );
  }

  return {
    /** Reads the selection now (e.g. while the context menu is still open). */
    readSelection: () => read(win),
    /** Opens the dialog for `selection` (default: read it now); problems become a toast. */
    async open(selection: Promise<Selection> = read(win)): Promise<void> {
      if (mounted) return mounted.root.querySelector<HTMLElement>('input, button')?.focus();
      if (opening) return;
      opening = true;
      const opener = win.document.activeElement;
      try {
        await beforeOpen?.();
        const [read, context] = await Promise.all([selection, send('getPageContext')]);
        if (!context) throw new AppError('forbidden-origin', 'This page is not a connected server');
        // Nothing selected: the dialog offers the folder the page shows, as a whole.
        const picked = read.uris.length > 0 ? read : wholeFolderSelection(read);
        if (!picked) throw new AppError('selection-empty', 'Nothing is selected');
        const state = pageSessionState(context.server);
        // A share link's visitor who is not signed in may still archive the share, to this computer.
        if (state === 'none' && picked.uris.every(isShareUri))
          return await showArchiveDialog(picked, context, opener, true);
        if (state === 'none') throw new AppError('page-signed-out', 'Nobody is signed in on this page');
        if (state === 'same') return await showArchiveDialog(picked, context, opener);
        show(
          <AccountChoice
            pageEmail={context.server.pageAccount!.email}
            extensionEmail={context.server.account?.email ?? ''}
            dark={pageTheme(win).dark}
            use={async () => {
              const chosen = await send('usePageAccount');
              if (!chosen) throw new AppError('forbidden-origin', 'This page is not a connected server');
              await showArchiveDialog(picked, chosen, opener);
            }}
            onClose={() => close(opener)}
          />,
        );
      } catch (error) {
        close(opener);
        failed(error);
      } finally {
        opening = false;
      }
    },
    close: () => close(),
  };
}

export type ArchiveFlow = ReturnType<typeof createArchiveFlow>;
