import { configureStore } from '@reduxjs/toolkit';
import { useDispatch, useSelector } from 'react-redux';
import { fileManagerSlice } from './file-manager-slice';
import { globalStateSlice } from './global-state-slice';
import { siteConfigSlice } from './site-config-slice';

/** The page's Redux store; like the real app it is not exposed on window (FE src/redux/store.ts). */
export const store = configureStore({
  reducer: {
    siteConfig: siteConfigSlice.reducer,
    globalState: globalStateSlice.reducer,
    fileManager: fileManagerSlice.reducer,
  },
});

export type RootState = ReturnType<typeof store.getState>;
export type AppDispatch = typeof store.dispatch;

/** Typed react-redux hooks. */
export const useAppDispatch = useDispatch.withTypes<AppDispatch>();
export const useAppSelector = useSelector.withTypes<RootState>();
