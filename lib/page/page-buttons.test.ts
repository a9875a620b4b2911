// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { createFloatingButton, syncToolbarButton } from './page-buttons';
import { SELECTION_TOOLBAR } from './selectors';
import { loadSnapshot } from './testing/snapshots';
import { userClick } from './testing/user-events';

const toolbarButton = () => document.querySelectorAll('[data-testid=cra-toolbar-archive]');

describe('the toolbar Archive button', () => {
  it('goes before the bar’s last child once, and opens the dialog on click', () => {
    loadSnapshot('dom-grid-selected');
    const onClick = vi.fn();
    expect(syncToolbarButton(document, onClick)).toBe(true);
    expect(syncToolbarButton(document, onClick)).toBe(true);
    const bar = document.querySelector(SELECTION_TOOLBAR)!;
    expect(toolbarButton()).toHaveLength(1);
    expect(bar.lastElementChild!.previousElementSibling).toBe(toolbarButton()[0]);
    // A page script's click (untrusted) does nothing; the user's does.
    (toolbarButton()[0] as HTMLElement).click();
    expect(onClick).not.toHaveBeenCalled();
    userClick(toolbarButton()[0]!);
    expect(onClick).toHaveBeenCalledOnce();
  });

  it('is put back when the app re-creates the bar, and moved back before a re-added last child', () => {
    loadSnapshot('dom-grid-selected');
    const onClick = vi.fn();
    const pristine = document.querySelector(SELECTION_TOOLBAR)!.cloneNode(true) as Element;
    syncToolbarButton(document, onClick);
    const bar = document.querySelector(SELECTION_TOOLBAR)!;
    bar.append(document.createElement('div'));
    syncToolbarButton(document, onClick);
    expect(bar.lastElementChild!.previousElementSibling).toBe(toolbarButton()[0]);
    // 0 selected: the app swaps the bar for the search box.
    const search = document.createElement('div');
    bar.replaceWith(search);
    expect(syncToolbarButton(document, onClick)).toBe(false);
    expect(toolbarButton()).toHaveLength(0);
    // Selected again: a brand-new bar.
    search.replaceWith(pristine);
    expect(syncToolbarButton(document, onClick)).toBe(true);
    expect(pristine.lastElementChild!.previousElementSibling).toBe(toolbarButton()[0]);
  });
});

describe('the floating Archive button', () => {
  it('shows only while something is selected and the toolbar is absent', () => {
    loadSnapshot('dom-grid-selected');
    const fab = createFloatingButton(document, vi.fn());
    const shown = () => document.querySelectorAll('[data-cloudreve-archiver=fab]').length;
    fab.sync(true);
    expect(shown()).toBe(0);
    fab.sync(false);
    fab.sync(false);
    expect(shown()).toBe(1);
    document.querySelector('header')!.remove();
    document.querySelectorAll('svg.MuiSvgIcon-colorPrimary').forEach((svg) => svg.remove());
    fab.sync(false);
    expect(shown()).toBe(0);
  });
});
