import { Box, Toolbar } from '@mui/material';
import { useEffect, type ReactNode } from 'react';
import { loadExplorerData } from '../store/site-thunks';
import { useAppDispatch } from '../store/store';
import { CreateArchiveDialog } from './CreateArchiveDialog';
import { NavBar } from './NavBar';
import { PromptDialog } from './PromptDialog';
import { Sidebar, SIDEBAR_WIDTH } from './Sidebar';

/** App frame: fixed header, left navigation (md+), main content. */
export function Frame({ page, children }: { page: 'home' | 'tasks'; children: ReactNode }) {
  const dispatch = useAppDispatch();
  useEffect(() => {
    void dispatch(loadExplorerData()).catch(() => undefined);
  }, [dispatch]);
  return (
    <Box sx={{ display: 'flex', height: '100vh', bgcolor: 'background.default' }}>
      <NavBar page={page} />
      <Sidebar page={page} />
      <Box
        component="main"
        sx={{ flexGrow: 1, minWidth: 0, display: 'flex', flexDirection: 'column', ml: { md: `${SIDEBAR_WIDTH}px` } }}
      >
        <Toolbar />
        {children}
      </Box>
      <CreateArchiveDialog />
      <PromptDialog />
    </Box>
  );
}
