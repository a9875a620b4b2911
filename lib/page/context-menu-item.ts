/**
 * "Archive…" in Cloudreve's own file context menu. The menu is an MUI Menu
 * with `keepMounted`: it stays under `<body>` while closed and React keeps
 * re-rendering its items for the current selection (docs/cloudreve-web-ui.md#context-menu).
 * So our item is added only while the menu is open, re-added if a re-render
 * drops it, and taken out again when the menu closes. It goes at the end of
 * Cloudreve's first group (open / download, before the first divider), not at
 * the end of the list: the real file menu has a dozen items and MUI caps the
 * menu at the window's height − 96 px and scrolls the rest
 * (docs/cloudreve-web-ui.md#context-menu), so in a window of ~500 px an item
 * appended last is below the fold. Near the top it is visible without
 * scrolling, while the menu's position and scrolling stay MUI's: we never
 * scroll the list ourselves (that would hide Cloudreve's own first items).
 * React inserts and removes its items relative to its own nodes, so a
 * foreign node between them does not disturb it. The menu is moved up if the
 * item would make it stick out of the window.
 */
import { t } from '../i18n';
import { onlyTrusted } from './trusted';
import { GRID_ITEM, LIST_ROW, MENU_BACKDROP, MENU_LIST, MENU_ROOT, MODAL_HIDDEN_CLASS } from './selectors';

const ITEM_MARK = 'data-cloudreve-archiver-menu';
const SVG = 'http://www.w3.org/2000/svg';
// Material "Archive" outline icon path (Apache-2.0, the icon set MUI renders).
const ARCHIVE_ICON =
  'm20.54 5.23-1.39-1.68C18.88 3.21 18.47 3 18 3H6c-.47 0-.88.21-1.16.55L3.46 5.23C3.17 5.57 3 6.02 3 6.5V19c0 1.1.9 2 2 2h14c1.1 0 2-.9 2-2V6.5c0-.48-.17-.93-.46-1.27M6.24 5h11.52l.81.97H5.44zM5 19V8h14v11zm8.45-9h-2.9v3H8l4 4 4-4h-2.55z';

/** MUI Popover's default `marginThreshold`: the gap it keeps between a menu and the window's edges. */
const MARGIN_THRESHOLD = 16;

/**
 * Our item makes the menu taller after MUI placed it: Popover measures the
 * paper's `offsetHeight` when the menu enters, re-renders or the window
 * resizes (mui/material-ui `packages/mui-material/src/Popover/Popover.js`,
 * `getPositioningStyle`), so near the bottom edge the item would hang out of
 * the window. Apply MUI's own rule once more: move the paper up until it ends
 * `MARGIN_THRESHOLD` px above the bottom (never above the top margin), and
 * move its transform origin down by as much, so the grow transition still
 * starts at the pointer. MUI's next pass measures our item too and lands on
 * the same place, so its placement logic stays in charge.
 */
function keepMenuInWindow(paper: HTMLElement, win: Window): void {
  const top = paper.offsetTop;
  const overflow = top + paper.offsetHeight - (win.innerHeight - MARGIN_THRESHOLD);
  const shift = Math.min(overflow, top - MARGIN_THRESHOLD);
  if (shift <= 0) return;
  paper.style.top = `${Math.round(top - shift)}px`;
  const [x, y] = paper.style.transformOrigin.split(' ');
  if (x && y?.endsWith('px')) paper.style.transformOrigin = `${x} ${parseFloat(y) + shift}px`;
}

/** The main file menu: the first (kept-mounted) MUI menu under body; submenus are appended after it. */
function mainMenu(doc: Document): Element | undefined {
  return [...doc.querySelectorAll(MENU_ROOT)].find((menu) => menu.querySelector(MENU_LIST));
}

/** Our `<li>`, wearing the classes of an existing plain item so it looks like one (emotion classes included). */
function createItem(doc: Document, like: Element, onActivate: () => void): HTMLLIElement {
  const li = doc.createElement('li');
  li.className = like.className;
  li.setAttribute('role', 'menuitem');
  li.setAttribute('tabindex', '-1');
  li.setAttribute(ITEM_MARK, '');
  li.setAttribute('data-testid', 'cra-menu-archive');
  const iconBox = doc.createElement('div');
  iconBox.className = like.children[0]?.className ?? '';
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', like.querySelector('svg')?.getAttribute('class') ?? '');
  const path = doc.createElementNS(SVG, 'path');
  path.setAttribute('d', ARCHIVE_ICON);
  svg.append(path);
  iconBox.append(svg);
  const textBox = doc.createElement('div');
  textBox.className = like.children[1]?.className ?? '';
  const text = doc.createElement('span');
  text.className = like.children[1]?.firstElementChild?.className ?? '';
  text.textContent = t('pageArchiveMenuItem', 'Archive…');
  textBox.append(text);
  li.append(iconBox, textBox);
  li.addEventListener(
    'click',
    onlyTrusted((event) => {
      event.stopPropagation();
      onActivate();
    }),
  );
  li.addEventListener(
    'keydown',
    onlyTrusted((event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      event.stopPropagation();
      onActivate();
    }),
  );
  return li;
}

/**
 * Keeps our item in the open file menu. `onActivate` runs while the menu is
 * still open (so the selection read then is the one the menu was opened for)
 * and is handed a function that closes the menu.
 */
export function createMenuItemSync(doc: Document, onActivate: (closeMenu: () => void) => void, signal: AbortSignal) {
  // Right-click on empty space opens the same menu with folder actions: no item there.
  let openedOnFiles = true;
  doc.addEventListener(
    'contextmenu',
    (event) => {
      openedOnFiles = event.target instanceof Element && event.target.closest(`${GRID_ITEM}, ${LIST_ROW}`) !== null;
    },
    { capture: true, signal },
  );
  // A left click (e.g. the bar's "more" button) opens it for the selection.
  doc.addEventListener('click', () => (openedOnFiles = true), { capture: true, signal });

  function closeMenu() {
    const backdrop = mainMenu(doc)?.querySelector(MENU_BACKDROP);
    backdrop?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
  }

  return function sync() {
    const menu = mainMenu(doc);
    const list = menu?.querySelector(MENU_LIST);
    const ours = doc.querySelectorAll(`[${ITEM_MARK}]`);
    const open = menu !== undefined && !menu.classList.contains(MODAL_HIDDEN_CLASS);
    const like = list?.querySelector(`:scope > li[role=menuitem]:not([aria-haspopup]):not([${ITEM_MARK}])`);
    if (!open || !openedOnFiles || !like) {
      ours.forEach((item) => item.remove());
      return;
    }
    // MUI's Divider renders an `<hr>` between Cloudreve's groups; none: a one-group menu, append.
    const firstDivider = list!.querySelector(':scope > hr');
    const inPlace = (item: Element) =>
      item.parentElement === list &&
      (firstDivider ? item.nextElementSibling === firstDivider : !item.nextElementSibling);
    if (ours.length === 1 && inPlace(ours[0]!)) return;
    const item = ours.length === 1 ? ours[0]! : createItem(doc, like, () => onActivate(closeMenu));
    ours.forEach((other) => other !== item && other.remove());
    list!.insertBefore(item, firstDivider);
    // The list sits directly in MUI's Paper, the element Popover positions.
    const paper = list!.parentElement;
    if (paper instanceof HTMLElement && doc.defaultView) keepMenuInWindow(paper, doc.defaultView);
  };
}
