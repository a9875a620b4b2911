/**
 * What the user selected on the Cloudreve page: exactly, from the app's Redux
 * store through the MAIN-world bridge; else read off the DOM. Both can fail,
 * and then nothing is archived: never guess (brief: never archive something
 * other than what is selected).
 */
import { isShareRoot } from '../cloudreve/share';
import { baseName, joinUri, normalizeUri, parentUri, withoutQuery } from '../cloudreve/uri';
import { AppError } from '../errors';
import { requestPageSelection } from './bridge';
import type { PageSelection } from './bridge-protocol';
import { GRID_ITEM, ITEM_NAME, LIST_ROW, MOBILE_COUNT_BADGE, SELECTED_COUNT, SELECTED_MARK } from './selectors';

export interface Selection extends PageSelection {
  /**
   * Where it came from: the store is exact; the DOM is a fallback (docs/cloudreve-web-ui.md#selectors-and-fragility).
   */
  source: 'store' | 'dom';
  /**
   * Nothing was selected, so the folder the page shows is archived as a whole: `uris` is that
   * folder alone and `folder` its parent. The server walks every page of it (the server route
   * sends the folder's URI; the browser route lists it page by page), not only the items the page
   * has loaded (Cloudreve's "select all" takes only those, 100 per page).
   */
  wholeFolder?: boolean;
  /**
   * Nothing was selected at a share link's root: the whole share is archived (`uris` is the share
   * root alone; the archive service archives the items it holds, lib/cloudreve/share.ts).
   */
  wholeShare?: boolean;
}

/**
 * The current folder as the selection, when nothing is selected; at a share link's root, the whole
 * share; null at the root of another filesystem, which has no parent to hold its archive nor a name
 * of its own.
 */
export function wholeFolderSelection(selection: Selection): Selection | null {
  const shown = withoutQuery(selection.folder);
  if (isShareRoot(shown)) {
    return { uris: [shown], names: [], folder: shown, source: selection.source, wholeFolder: true, wholeShare: true };
  }
  let parent: string | undefined;
  let name: string;
  try {
    parent = parentUri(withoutQuery(selection.folder));
    name = baseName(withoutQuery(selection.folder));
  } catch {
    return null;
  }
  if (!name || !parent) return null;
  return { uris: [selection.folder], names: [name], folder: parent, source: selection.source, wholeFolder: true };
}

/** The count the page itself shows ("2 selected", or the mobile badge), or null when it shows none. */
export function shownCount(doc: Document): number | null {
  const texts = [doc.querySelector(SELECTED_COUNT)?.textContent];
  for (const badge of doc.querySelectorAll(MOBILE_COUNT_BADGE)) {
    if (!badge.classList.contains('MuiBadge-invisible')) texts.push(badge.textContent);
  }
  for (const text of texts) {
    const match = /\d+/.exec(text ?? '');
    if (match) return Number(match[0]);
  }
  return null;
}

/** Selected items in the DOM: the check icon's colour marks them (fragile, see selectors.ts). */
function selectedNames(doc: Document): { names: string[]; list: boolean } {
  const grid = [...doc.querySelectorAll(GRID_ITEM)];
  const rows = [...doc.querySelectorAll(LIST_ROW)].map((row) => row.firstElementChild).filter((row) => row !== null);
  const names: string[] = [];
  for (const item of [...grid, ...rows]) {
    if (!item.querySelector(SELECTED_MARK)) continue;
    const name = item.querySelector(ITEM_NAME)?.getAttribute('aria-label');
    if (name) names.push(name);
  }
  return { names, list: rows.length > 0 };
}

/**
 * The selection as the DOM shows it, or null when the DOM cannot tell for sure:
 * a search (items from many folders), a count that disagrees with the marks,
 * or a virtualized list whose off-screen rows cannot be seen.
 */
export function readDomSelection(doc: Document, href: string): PageSelection | null {
  const param = new URL(href).searchParams.get('path');
  if (param !== null && param.includes('?')) return null;
  let folder: string;
  try {
    folder = param ? normalizeUri(withoutQuery(param)) : 'cloudreve://my';
  } catch {
    return null;
  }
  const { names, list } = selectedNames(doc);
  const count = shownCount(doc);
  if (count !== null ? count !== names.length : list && names.length > 0) return null;
  if (new Set(names).size !== names.length) return null;
  try {
    return { uris: names.map((name) => joinUri(folder, name)), names, folder };
  } catch {
    return null;
  }
}

/** The exact selection from the store, else the DOM's; throws `selection-unavailable` when neither can tell. */
export async function readSelection(
  win: Window,
  fromStore: (win: Window) => Promise<PageSelection | null> = requestPageSelection,
): Promise<Selection> {
  const exact = await fromStore(win);
  if (exact) return { ...exact, source: 'store' };
  const seen = readDomSelection(win.document, win.location.href);
  if (seen) return { ...seen, source: 'dom' };
  throw new AppError('selection-unavailable', 'Neither the page store nor the DOM tells what is selected');
}
