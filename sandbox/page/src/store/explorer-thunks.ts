import { send } from '../api/request';
import type { FileResponse, ListResponse } from '../api/types';
import { homeUrl, joinUri, purePath } from '../common/uri';
import { navigate } from '../common/navigation';
import {
  closeContextMenu,
  FileManagerIndex,
  openContextMenu,
  setLayout,
  setList,
  setListError,
  setPath,
  setSelected,
  toggleSelected,
  type Layout,
} from './file-manager-slice';
import type { AppDispatch, RootState } from './store';

type Thunk<R = void> = (dispatch: AppDispatch, getState: () => RootState) => R;

const PAGE_SIZE = 100;
const main = FileManagerIndex.main;

/** Lists a folder with cursor pagination, publishing each page as it arrives (docs/cloudreve-api.md#listing-files). */
export function loadFolder(path: string): Thunk<Promise<void>> {
  return async (dispatch) => {
    dispatch(setPath({ index: main, path, pure_path: purePath(path) }));
    let files: FileResponse[] = [];
    let token: string | undefined;
    try {
      do {
        const query = new URLSearchParams({ uri: path, page_size: String(PAGE_SIZE) });
        if (token) query.set('next_page_token', token);
        const page = await send<ListResponse>('GET', `/file?${query.toString()}`);
        files = files.concat(page.files);
        token = page.pagination.next_token;
        const list: ListResponse = { ...page, files, pagination: { ...page.pagination, next_token: token } };
        dispatch(setList({ index: main, path, list, done: !token }));
      } while (token);
    } catch (err) {
      dispatch(setListError({ index: main, path, error: (err as Error).message }));
    }
  };
}

/** Re-lists the current folder. */
export function refresh(): Thunk<Promise<void>> {
  return (dispatch, getState) => dispatch(loadFolder(getState().fileManager[main]!.path ?? 'cloudreve://my'));
}

/** Opens a folder: pushes /home?path=<parent/encoded name>. */
export function openFolder(file: FileResponse): Thunk {
  return (_dispatch, getState) => {
    const parent = getState().fileManager[main]!.pure_path ?? 'cloudreve://my';
    navigate(homeUrl(joinUri(parent, file.name)));
  };
}

function files(state: RootState): FileResponse[] {
  return state.fileManager[main]!.list?.files ?? [];
}

/** Click on an item (FE useFileBlockState): modifiers select, a plain click opens folders or selects one file. */
export function clickItem(file: FileResponse, index: number, e: { ctrl: boolean; shift: boolean }): Thunk {
  return (dispatch, getState) => {
    const fm = getState().fileManager[main]!;
    if (e.shift && fm.lastSelected !== undefined) {
      const [from, to] = [Math.min(fm.lastSelected, index), Math.max(fm.lastSelected, index)];
      dispatch(setSelected({ index: main, files: files(getState()).slice(from, to + 1) }));
    } else if (e.ctrl || e.shift) {
      dispatch(toggleSelected({ index: main, file, anchor: index }));
    } else if (file.type === 1) {
      dispatch(openFolder(file));
    } else {
      dispatch(setSelected({ index: main, files: [file], anchor: index }));
    }
  };
}

/** Right-click on an item: an unselected item replaces the selection, then the menu opens. */
export function itemContextMenu(file: FileResponse, index: number, x: number, y: number): Thunk {
  return (dispatch, getState) => {
    if (!getState().fileManager[main]!.selected[file.path]) {
      dispatch(setSelected({ index: main, files: [file], anchor: index }));
    }
    dispatch(openContextMenu({ index: main, type: 'file', x, y }));
  };
}

/** Right-click on empty space. */
export function emptyContextMenu(x: number, y: number): Thunk {
  return (dispatch) => dispatch(openContextMenu({ index: main, type: 'empty', x, y }));
}

/** Closes the main context menu. */
export function closeMenu(): Thunk {
  return (dispatch) => dispatch(closeContextMenu({ index: main }));
}

/** Clears the selection. */
export function clearSelection(): Thunk {
  return (dispatch, getState) => {
    if (Object.keys(getState().fileManager[main]!.selected).length > 0) {
      dispatch(setSelected({ index: main, files: [] }));
    }
  };
}

/** Selects every loaded item (Ctrl+A). */
export function selectAll(): Thunk {
  return (dispatch, getState) => dispatch(setSelected({ index: main, files: files(getState()) }));
}

/** Switches grid/list and saves the folder view like the real app (PATCH /file/view). */
export function changeLayout(layout: Layout): Thunk<Promise<void>> {
  return async (dispatch, getState) => {
    dispatch(setLayout({ index: main, layout }));
    const uri = getState().fileManager[main]!.pure_path ?? 'cloudreve://my';
    await send('PATCH', '/file/view', {
      uri,
      view: { page_size: PAGE_SIZE, order: 'name', order_direction: 'asc', view: layout },
    }).catch(() => undefined);
  };
}
