// @vitest-environment happy-dom
/** The selectors against DOM snapshots of the real Cloudreve frontend (docs/cloudreve-web-ui.md#saved-snapshots). */
import { describe, expect, it } from 'vitest';
import { loadSnapshot } from './testing/snapshots';
import * as S from './selectors';

const names = (elements: Element[]) => elements.map((el) => el.querySelector(S.ITEM_NAME)?.getAttribute('aria-label'));

describe('selectors on the grid snapshot (a b.txt and 中文.md selected)', () => {
  it('finds every grid item, the selected ones by their check icon, and their names', () => {
    loadSnapshot('dom-grid-selected');
    const items = [...document.querySelectorAll(S.GRID_ITEM)];
    expect(items.map((item) => item.getAttribute('data-rect-id'))).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(names(items)).toContain('Docs');
    expect(names(items.filter((item) => item.querySelector(S.SELECTED_MARK)))).toEqual(['a b.txt', '中文.md']);
  });

  it('finds the selection toolbar once, its count button and a style source', () => {
    loadSnapshot('dom-grid-selected');
    expect(document.querySelectorAll(S.SELECTION_TOOLBAR)).toHaveLength(1);
    expect(document.querySelector(S.SELECTED_COUNT)?.textContent).toBe('2 selected');
    expect(document.querySelector(S.TOOLBAR_STYLE_SOURCE)).not.toBeNull();
    // The bar's last child is the "more" button: the Archive button goes before it.
    expect(document.querySelector(S.SELECTION_TOOLBAR)!.children.length).toBeGreaterThanOrEqual(2);
  });

  it('finds the kept-mounted context menu while it is closed', () => {
    loadSnapshot('dom-grid-selected');
    const menus = document.querySelectorAll(S.MENU_ROOT);
    expect(menus).toHaveLength(1);
    expect(menus[0]!.classList.contains(S.MODAL_HIDDEN_CLASS)).toBe(true);
    expect(menus[0]!.querySelector(S.MENU_LIST)).not.toBeNull();
  });
});

describe('selectors on the list snapshot (Photos and a b.txt selected)', () => {
  it('reads rows through their first child, skipping the empty aria-labels of date cells', () => {
    loadSnapshot('dom-list-selected');
    const rows = [...document.querySelectorAll(S.LIST_ROW)].map((row) => row.firstElementChild!);
    expect(rows.length).toBe(6);
    expect(names(rows)[0]).toBe('Docs');
    expect(names(rows.filter((row) => row.querySelector(S.SELECTED_MARK)))).toEqual(['Photos', 'a b.txt']);
    expect(document.querySelectorAll(S.GRID_ITEM)).toHaveLength(0);
    expect(document.querySelectorAll(S.SELECTION_TOOLBAR)).toHaveLength(1);
  });
});

describe('selectors on the open context menu snapshot', () => {
  it('finds the open menu, its list, items and backdrop', () => {
    loadSnapshot('dom-contextmenu-open');
    const [menu] = document.querySelectorAll(S.MENU_ROOT);
    expect(menu!.classList.contains(S.MODAL_HIDDEN_CLASS)).toBe(false);
    const items = menu!.querySelectorAll(`${S.MENU_LIST} > li[role=menuitem]`);
    expect(items.length).toBeGreaterThan(3);
    expect(items[0]!.textContent).toBe('Download');
    expect(menu!.querySelector(S.MENU_BACKDROP)).not.toBeNull();
  });
});
