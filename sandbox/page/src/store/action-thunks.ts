import { send } from '../api/request';
import type { FileResponse, TaskResponse } from '../api/types';
import { joinUri } from '../common/uri';
import { refresh } from './explorer-thunks';
import { FileManagerIndex, type SingleManager } from './file-manager-slice';
import { openCreateArchive, showSnackbar } from './global-state-slice';
import type { AppDispatch, RootState } from './store';

type Thunk<R = void> = (dispatch: AppDispatch, getState: () => RootState) => R;

/** The selected files of one explorer, in list order. */
export function orderedSelection(fm: SingleManager): FileResponse[] {
  const order = new Map((fm.list?.files ?? []).map((f, i) => [f.path, i]));
  return Object.values(fm.selected).sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
}

/** Paths of the main explorer's selection, in list order. */
export function selectedPaths(state: RootState): string[] {
  return orderedSelection(state.fileManager[FileManagerIndex.main]!).map((f) => f.path);
}

function currentFolder(state: RootState): string {
  return state.fileManager[FileManagerIndex.main]!.pure_path ?? 'cloudreve://my';
}

/** Runs an API action, reporting failures in the snackbar and refreshing the folder afterwards. */
function act(action: () => Promise<unknown>, done?: string): Thunk<Promise<void>> {
  return async (dispatch) => {
    try {
      await action();
      if (done) dispatch(showSnackbar({ message: done }));
      await dispatch(refresh());
    } catch (err) {
      dispatch(showSnackbar({ message: (err as Error).message }));
    }
  };
}

/** Creates a server archive task (FE Dialogs/CreateArchive.tsx): dst = folder + "/" + name. */
export function createArchive(src: string[], name: string): Thunk<Promise<boolean>> {
  return async (dispatch, getState) => {
    try {
      await send<TaskResponse>('POST', '/workflow/archive', { src, dst: joinUri(currentFolder(getState()), name) });
      dispatch(openCreateArchive(undefined));
      dispatch(showSnackbar({ message: 'Task created.', viewTasks: true }));
      return true;
    } catch (err) {
      dispatch(showSnackbar({ message: (err as Error).message }));
      return false;
    }
  };
}

/** Opens download URLs for the selected files (POST /file/url). */
export function download(paths: string[]): Thunk<Promise<void>> {
  return async (dispatch) => {
    try {
      const { urls } = await send<{ urls: { url: string }[] }>('POST', '/file/url', { uris: paths, download: true });
      for (const { url } of urls) if (url) window.open(url, '_blank', 'noopener');
    } catch (err) {
      dispatch(showSnackbar({ message: (err as Error).message }));
    }
  };
}

/** Deletes files (DELETE /file). */
export function deleteFiles(paths: string[]): Thunk<Promise<void>> {
  return act(() => send('DELETE', '/file', { uris: paths }), 'Deleted.');
}

/** Renames one file (POST /file/rename). */
export function renameFile(file: string, newName: string): Thunk<Promise<void>> {
  return act(() => send('POST', '/file/rename', { uri: file, new_name: newName }));
}

/** Copies or moves files into a folder URI (POST /file/move). */
export function moveFiles(paths: string[], dst: string, copy: boolean): Thunk<Promise<void>> {
  return act(() => send('POST', '/file/move', { uris: paths, dst, copy }), copy ? 'Copied.' : 'Moved.');
}

/** Creates a folder in the current folder (POST /file/create). */
export function createFolder(name: string): Thunk<Promise<void>> {
  return (dispatch, getState) =>
    dispatch(
      act(() => send('POST', '/file/create', { uri: joinUri(currentFolder(getState()), name), type: 'folder' })),
    );
}
