/**
 * The Archive button in Cloudreve's selection toolbar, and a floating one when
 * the toolbar is absent (below 600 px) but something is selected. Both are
 * re-checked on every DOM change: the app re-creates the bar on each
 * 0 ↔ >0 selection change (docs/cloudreve-web-ui.md#selection-toolbar).
 */
import { t } from '../i18n';
import { PAGE_UI_CSS } from './dialog-styles';
import { shownCount } from './selection';
import { GRID_ITEM, LIST_ROW, SELECTED_MARK, SELECTION_TOOLBAR, TOOLBAR_STYLE_SOURCE } from './selectors';
import { createShadowHost, type ShadowHost } from './shadow-host';
import { pageTheme } from './theme';
import { onlyTrusted } from './trusted';

const TOOLBAR_MARK = 'data-cloudreve-archiver-toolbar';

/** Our toolbar button, styled like the bar's outlined buttons (their emotion classes are not stable, their computed colours are). */
function createToolbarButton(doc: Document, like: Element | null, onClick: () => void): HTMLButtonElement {
  const button = doc.createElement('button');
  button.type = 'button';
  button.setAttribute(TOOLBAR_MARK, '');
  button.setAttribute('data-testid', 'cra-toolbar-archive');
  button.title = t('pageArchiveHint', 'Archive the selected files into one zip');
  button.textContent = t('pageArchiveButton', 'Archive');
  const look = like ? doc.defaultView!.getComputedStyle(like) : undefined;
  Object.assign(button.style, {
    font: look?.font || 'inherit',
    textTransform: look?.textTransform || 'uppercase',
    color: look?.color || '#1976d2',
    border: `1px solid ${look?.borderLeftColor || 'currentColor'}`,
    borderRadius: '4px',
    background: 'transparent',
    padding: '5px 15px',
    minHeight: like ? `${like.getBoundingClientRect().height}px` : '36px',
    cursor: 'pointer',
    whiteSpace: 'nowrap',
  });
  button.addEventListener(
    'click',
    onlyTrusted((event) => {
      event.stopPropagation();
      onClick();
    }),
  );
  return button;
}

/** Puts our button before the bar's last child (its "more" button), once. */
export function syncToolbarButton(doc: Document, onClick: () => void): boolean {
  const bar = doc.querySelector(SELECTION_TOOLBAR);
  if (!bar) return false;
  const anchor = [...bar.children].filter((child) => !child.hasAttribute(TOOLBAR_MARK)).at(-1) ?? null;
  const existing = bar.querySelector(`:scope > [${TOOLBAR_MARK}]`);
  if (existing && existing.nextElementSibling === anchor) return true;
  bar.insertBefore(existing ?? createToolbarButton(doc, doc.querySelector(TOOLBAR_STYLE_SOURCE), onClick), anchor);
  return true;
}

/** Whether the page shows a selection without its toolbar (the mobile layout). */
function selectionShown(doc: Document): boolean {
  return (
    (shownCount(doc) ?? 0) > 0 ||
    doc.querySelector(`${GRID_ITEM} ${SELECTED_MARK}, ${LIST_ROW} ${SELECTED_MARK}`) !== null
  );
}

/** The floating button: present exactly while something is selected and the toolbar is not there. */
export function createFloatingButton(doc: Document, onClick: () => void) {
  let fab: ShadowHost | undefined;
  return {
    sync(toolbarShown: boolean) {
      const wanted = !toolbarShown && selectionShown(doc);
      if (wanted && !fab?.host.isConnected) {
        fab = createShadowHost(doc, 'fab', PAGE_UI_CSS);
        const button = doc.createElement('button');
        button.type = 'button';
        button.className = `theme fab primary${pageTheme(doc.defaultView!).dark ? ' dark' : ''}`;
        button.setAttribute('data-testid', 'cra-fab');
        button.textContent = t('pageArchiveButton', 'Archive');
        button.title = t('pageArchiveHint', 'Archive the selected files into one zip');
        button.addEventListener('click', onlyTrusted(onClick));
        fab.root.append(button);
      } else if (!wanted && fab) {
        fab.remove();
        fab = undefined;
      }
    },
    remove() {
      fab?.remove();
      fab = undefined;
    },
  };
}
