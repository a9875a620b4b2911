import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Capacity } from '../api/types';

export interface Snackbar {
  message: string;
  /** Show a "View" action that opens /tasks. */
  viewTasks?: boolean;
}

/** Which text-prompt dialog is open, and for which targets (paths). */
export type PromptKind = 'rename' | 'copy' | 'move' | 'newFolder';

export interface GlobalState {
  capacity?: Capacity;
  snackbar?: Snackbar;
  createArchive?: { targets: string[] };
  prompt?: { kind: PromptKind; targets: string[] };
}

const initialState: GlobalState = {};

export const globalStateSlice = createSlice({
  name: 'globalState',
  initialState,
  reducers: {
    setCapacity(state, action: PayloadAction<Capacity>) {
      state.capacity = action.payload;
    },
    showSnackbar(state, action: PayloadAction<Snackbar | undefined>) {
      state.snackbar = action.payload;
    },
    openCreateArchive(state, action: PayloadAction<string[] | undefined>) {
      state.createArchive = action.payload && { targets: action.payload };
    },
    openPrompt(state, action: PayloadAction<GlobalState['prompt']>) {
      state.prompt = action.payload;
    },
  },
});

export const { setCapacity, showSnackbar, openCreateArchive, openPrompt } = globalStateSlice.actions;
