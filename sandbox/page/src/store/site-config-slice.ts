import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { SiteConfigBasic } from '../api/types';

export interface ExplorerConfig {
  max_batch_size?: number;
  [key: string]: unknown;
}

/** Cached site/config sections, keyed like the FE's siteConfig slice. */
export interface SiteConfigState {
  basic: { loaded: boolean; config: SiteConfigBasic };
  explorer: { loaded: boolean; config: ExplorerConfig };
}

const initialState: SiteConfigState = {
  basic: { loaded: false, config: {} },
  explorer: { loaded: false, config: {} },
};

export const siteConfigSlice = createSlice({
  name: 'siteConfig',
  initialState,
  reducers: {
    setBasic(state, action: PayloadAction<SiteConfigBasic>) {
      state.basic = { loaded: true, config: action.payload };
    },
    setExplorer(state, action: PayloadAction<ExplorerConfig>) {
      state.explorer = { loaded: true, config: action.payload };
    },
  },
});

export const { setBasic, setExplorer } = siteConfigSlice.actions;
