import { Alert, Box, Button, ButtonGroup, CircularProgress, Paper, Stack, Tooltip } from '@mui/material';
import { useEffect, type MouseEvent } from 'react';
import { useLocation } from '../common/navigation';
import { GridIcon, ListIcon, RefreshIcon } from '../common/icons';
import { pathFromLocation } from '../common/uri';
import {
  changeLayout,
  clearSelection,
  emptyContextMenu,
  loadFolder,
  refresh,
  selectAll,
} from '../store/explorer-thunks';
import { FileManagerIndex } from '../store/file-manager-slice';
import { useAppDispatch, useAppSelector } from '../store/store';
import { Breadcrumb } from './Breadcrumb';
import { ContextMenu } from './ContextMenu';
import { GridView } from './GridView';
import { ListView } from './ListView';

/** Keys typed into fields, menus and dialogs belong to them, not to the explorer's shortcuts. */
function isOwnedElsewhere(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) ||
    !!target.closest('[role=menu], [role=dialog]')
  );
}

/** The main file explorer at /home: loads `?path=`, renders grid or list, owns the keyboard shortcuts. */
export function Explorer() {
  const dispatch = useAppDispatch();
  useLocation(); // re-render on navigation so `path` follows ?path=
  const fm = useAppSelector((s) => s.fileManager[FileManagerIndex.main]!);
  const path = pathFromLocation();

  useEffect(() => {
    void dispatch(loadFolder(path));
  }, [dispatch, path]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isOwnedElsewhere(e.target)) return;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
        e.preventDefault();
        dispatch(selectAll());
      } else if (e.key === 'Escape') {
        dispatch(clearSelection());
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [dispatch]);

  const onEmptyContextMenu = (e: MouseEvent) => {
    e.preventDefault();
    dispatch(emptyContextMenu(e.clientX, e.clientY));
  };
  const files = fm.list?.files ?? [];

  return (
    <Stack sx={{ flex: 1, minHeight: 0, px: 2, pb: 2, gap: 1 }}>
      <Stack direction="row" spacing={1} alignItems="center">
        <Breadcrumb path={fm.pure_path ?? path} />
        <ButtonGroup>
          <Tooltip title="Refresh">
            <Button onClick={() => void dispatch(refresh())}>
              <RefreshIcon fontSize="small" />
            </Button>
          </Tooltip>
        </ButtonGroup>
        <ButtonGroup>
          <Button
            startIcon={fm.layout === 'grid' ? <GridIcon /> : <ListIcon />}
            onClick={() => void dispatch(changeLayout(fm.layout === 'grid' ? 'list' : 'grid'))}
          >
            View
          </Button>
        </ButtonGroup>
      </Stack>
      <Paper
        variant="outlined"
        data-testid="explorer"
        onClick={() => dispatch(clearSelection())}
        onContextMenu={onEmptyContextMenu}
        sx={{
          flex: 1,
          minHeight: 0,
          display: 'flex',
          flexDirection: 'column',
          overflow: fm.layout === 'grid' ? 'auto' : 'hidden',
        }}
      >
        {fm.error && (
          <Alert severity="error" sx={{ m: 2 }}>
            {fm.error}
          </Alert>
        )}
        {fm.layout === 'grid' ? (
          <GridView files={files} selected={fm.selected} />
        ) : (
          <ListView files={files} selected={fm.selected} />
        )}
        {fm.loading && (
          <Box sx={{ display: 'flex', justifyContent: 'center', p: 2 }}>
            <CircularProgress size={24} />
          </Box>
        )}
      </Paper>
      <ContextMenu />
    </Stack>
  );
}
