import type { MouseEvent } from 'react';
import type { FileResponse } from '../api/types';
import { clickItem, itemContextMenu } from '../store/explorer-thunks';
import { useAppDispatch } from '../store/store';

/** Click and right-click handlers shared by grid items and list rows (FE useFileBlockState). */
export function useItemHandlers(file: FileResponse, index: number) {
  const dispatch = useAppDispatch();
  return {
    onClick(e: MouseEvent) {
      // Keep the explorer's "click on empty space clears" handler from seeing item clicks.
      e.stopPropagation();
      dispatch(clickItem(file, index, { ctrl: e.ctrlKey || e.metaKey, shift: e.shiftKey }));
    },
    onContextMenu(e: MouseEvent) {
      // The real item handler prevents the native menu and stops propagation
      // (docs/cloudreve-web-ui.md#context-menu: bubble listeners never see it).
      e.preventDefault();
      e.stopPropagation();
      dispatch(itemContextMenu(file, index, e.clientX, e.clientY));
    },
  };
}
