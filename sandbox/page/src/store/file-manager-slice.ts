import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { FileResponse, ListResponse } from '../api/types';

export type Layout = 'grid' | 'list';
export type ContextMenuType = 'file' | 'empty';

/** One explorer, shaped like FE src/redux/fileManagerSlice.ts SingleManager. */
export interface SingleManager {
  path?: string;
  pure_path?: string;
  list?: ListResponse;
  loading: boolean;
  error?: string;
  /** FileResponse.path → FileResponse. */
  selected: Record<string, FileResponse>;
  /** Index of the last plainly clicked item, the anchor of Shift+click ranges. */
  lastSelected?: number;
  layout: Layout;
  contextMenuOpen: boolean;
  contextMenuType: ContextMenuType;
  contextMenuPos?: { x: number; y: number };
}

/** Index 0 = main explorer, 1 = folder picker (FileManagerIndex in the FE). */
export const FileManagerIndex = { main: 0, selector: 1 } as const;

function emptyManager(): SingleManager {
  return { loading: false, selected: {}, layout: 'grid', contextMenuOpen: false, contextMenuType: 'file' };
}

type Indexed<T> = PayloadAction<{ index: number } & T>;

function byPath(files: FileResponse[]): Record<string, FileResponse> {
  return Object.fromEntries(files.map((f) => [f.path, f]));
}

export const fileManagerSlice = createSlice({
  name: 'fileManager',
  initialState: [emptyManager(), emptyManager()] as SingleManager[],
  reducers: {
    setPath(state, { payload }: Indexed<{ path: string; pure_path: string }>) {
      const fm = state[payload.index]!;
      fm.path = payload.path;
      fm.pure_path = payload.pure_path;
      fm.list = undefined;
      fm.error = undefined;
      fm.loading = true;
      fm.selected = {};
      fm.lastSelected = undefined;
    },
    setList(state, { payload }: Indexed<{ path: string; list: ListResponse; done: boolean }>) {
      const fm = state[payload.index]!;
      if (fm.path !== payload.path) return;
      fm.list = payload.list;
      fm.loading = !payload.done;
    },
    setListError(state, { payload }: Indexed<{ path: string; error: string }>) {
      const fm = state[payload.index]!;
      if (fm.path !== payload.path) return;
      fm.loading = false;
      fm.error = payload.error;
    },
    setSelected(state, { payload }: Indexed<{ files: FileResponse[]; anchor?: number }>) {
      const fm = state[payload.index]!;
      fm.selected = byPath(payload.files);
      if (payload.anchor !== undefined) fm.lastSelected = payload.anchor;
    },
    toggleSelected(state, { payload }: Indexed<{ file: FileResponse; anchor: number }>) {
      const fm = state[payload.index]!;
      if (fm.selected[payload.file.path]) delete fm.selected[payload.file.path];
      else fm.selected[payload.file.path] = payload.file;
      fm.lastSelected = payload.anchor;
    },
    setLayout(state, { payload }: Indexed<{ layout: Layout }>) {
      state[payload.index]!.layout = payload.layout;
    },
    openContextMenu(state, { payload }: Indexed<{ type: ContextMenuType; x: number; y: number }>) {
      const fm = state[payload.index]!;
      fm.contextMenuOpen = true;
      fm.contextMenuType = payload.type;
      fm.contextMenuPos = { x: payload.x, y: payload.y };
    },
    closeContextMenu(state, { payload }: Indexed<object>) {
      const fm = state[payload.index]!;
      fm.contextMenuOpen = false;
      // The kept-mounted menu goes back to listing the selection's actions (0 items when none).
      fm.contextMenuType = 'file';
    },
  },
});

export const {
  setPath,
  setList,
  setListError,
  setSelected,
  toggleSelected,
  setLayout,
  openContextMenu,
  closeContextMenu,
} = fileManagerSlice.actions;
