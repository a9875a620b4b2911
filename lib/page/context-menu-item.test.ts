// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { createMenuItemSync } from './context-menu-item';
import { loadSnapshot } from './testing/snapshots';
import { userClick } from './testing/user-events';

const ours = () => document.querySelectorAll('[data-testid=cra-menu-archive]');
const menu = () => document.querySelector('body > div.MuiMenu-root')!;

function setup() {
  const onActivate = vi.fn();
  const controller = new AbortController();
  const sync = createMenuItemSync(document, onActivate, controller.signal);
  return { onActivate, sync, controller };
}

describe('the Archive item in the kept-mounted context menu', () => {
  it("is added at the end of the open menu's first group, styled like its items, and activates with the menu still open", () => {
    loadSnapshot('dom-contextmenu-open');
    const { onActivate, sync } = setup();
    sync();
    const [item] = ours();
    // Real menu: Download, <hr>, Copy, …: ours right after Download, where a short window still shows it.
    expect(item?.previousElementSibling?.textContent).toBe('Download');
    expect(item?.nextElementSibling?.tagName).toBe('HR');
    expect(item?.getAttribute('role')).toBe('menuitem');
    expect(item?.className).toBe(menu().querySelector('li[role=menuitem]')!.className);
    expect(item?.textContent).toBe('Archive…');
    // A page script's click (untrusted) does nothing; the user's does.
    (item as HTMLElement).click();
    item!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(onActivate).not.toHaveBeenCalled();
    userClick(item!);
    expect(onActivate).toHaveBeenCalledOnce();
    expect(typeof onActivate.mock.calls[0]![0]).toBe('function');
  });

  it('is not added twice, comes back after a re-render removed it, and leaves when the menu closes', () => {
    loadSnapshot('dom-contextmenu-open');
    const { sync } = setup();
    sync();
    sync();
    expect(ours()).toHaveLength(1);
    ours()[0]!.remove();
    sync();
    expect(ours()).toHaveLength(1);
    // A re-render that moved it (React inserting before it) gets it back to the end of the first group.
    const list = menu().querySelector('ul[role=menu]')!;
    list.append(ours()[0]!);
    sync();
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.nextElementSibling?.tagName).toBe('HR');
    menu()
      .querySelectorAll('ul[role=menu] > hr')
      .forEach((hr) => hr.remove());
    sync();
    expect(list.lastElementChild).toBe(ours()[0]);
    menu().classList.add('MuiModal-hidden');
    sync();
    expect(ours()).toHaveLength(0);
  });

  it('stays out of a closed menu and of the empty-space menu', () => {
    loadSnapshot('dom-grid-selected');
    const { sync } = setup();
    sync();
    expect(ours()).toHaveLength(0);
    loadSnapshot('dom-contextmenu-open');
    document.querySelector('main, #root')!.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true }));
    sync();
    expect(ours()).toHaveLength(0);
    document.querySelector('button[data-rect-id="2"]')!.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true }));
    sync();
    expect(ours()).toHaveLength(1);
  });

  it('moves the menu up, like MUI does, when our item would make it stick out of the window', () => {
    loadSnapshot('dom-contextmenu-open');
    const paper = menu().querySelector<HTMLElement>('ul[role=menu]')!.parentElement!;
    // happy-dom has no layout: give the paper the place MUI chose near the bottom edge.
    Object.defineProperty(paper, 'offsetTop', { value: innerHeight - 16 - 250 });
    Object.defineProperty(paper, 'offsetHeight', { value: 250 + 32 });
    paper.style.top = `${innerHeight - 16 - 250}px`;
    paper.style.transformOrigin = '0px 0px';
    setup().sync();
    expect(paper.style.top).toBe(`${innerHeight - 16 - 282}px`);
    expect(paper.style.transformOrigin).toBe('0px 32px');
  });

  it('leaves a menu that fits where MUI put it', () => {
    loadSnapshot('dom-contextmenu-open');
    const paper = menu().querySelector<HTMLElement>('ul[role=menu]')!.parentElement!;
    Object.defineProperty(paper, 'offsetTop', { value: 100 });
    Object.defineProperty(paper, 'offsetHeight', { value: 282 });
    paper.style.top = '100px';
    setup().sync();
    expect(paper.style.top).toBe('100px');
  });

  it('closes the menu through its backdrop', () => {
    loadSnapshot('dom-contextmenu-open');
    const { onActivate, sync } = setup();
    const backdropClicks = vi.fn();
    menu().querySelector('.MuiBackdrop-root')!.addEventListener('click', backdropClicks);
    sync();
    userClick(ours()[0]!);
    (onActivate.mock.calls[0]![0] as () => void)();
    expect(backdropClicks).toHaveBeenCalledOnce();
  });
});
