import {
  AppBar,
  Avatar,
  Badge,
  Box,
  Button,
  IconButton,
  InputBase,
  Stack,
  Toolbar,
  useMediaQuery,
  useTheme,
} from '@mui/material';
import { AddIcon, CloseIcon, MenuIcon, MoreIcon, SearchIcon } from '../common/icons';
import { currentSession } from '../api/session';
import { clearSelection } from '../store/explorer-thunks';
import { openPrompt } from '../store/global-state-slice';
import { FileManagerIndex, openContextMenu } from '../store/file-manager-slice';
import { useAppDispatch, useAppSelector } from '../store/store';
import { SelectedActions } from './SelectedActions';
import { SIDEBAR_WIDTH } from './Sidebar';

function SearchBox() {
  return (
    <Box
      sx={{
        display: 'flex',
        alignItems: 'center',
        gap: 1,
        px: 1.5,
        height: 40,
        width: 220,
        border: 1,
        borderColor: 'divider',
        borderRadius: '12px',
      }}
    >
      <SearchIcon fontSize="small" color="primary" />
      <InputBase placeholder="Type / to search" inputProps={{ 'aria-label': 'Search' }} sx={{ fontSize: 14 }} />
    </Box>
  );
}

/**
 * Header (FE Frame/NavBar): with a selection the search box is swapped for the
 * selected-actions bar at sm+ widths; below 600 px only badge icon buttons remain.
 */
export function NavBar({ page }: { page: 'home' | 'tasks' }) {
  const theme = useTheme();
  const isMobile = useMediaQuery(theme.breakpoints.down('sm'));
  const dispatch = useAppDispatch();
  const count = useAppSelector((s) =>
    page === 'home' ? Object.keys(s.fileManager[FileManagerIndex.main]!.selected).length : 0,
  );
  const user = currentSession()?.user;
  const openMore = (el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    dispatch(openContextMenu({ index: FileManagerIndex.main, type: 'file', x: r.left, y: r.bottom }));
  };
  return (
    <AppBar
      position="fixed"
      elevation={0}
      color="inherit"
      sx={{
        bgcolor: 'background.default',
        ml: { md: `${SIDEBAR_WIDTH}px` },
        width: { md: `calc(100% - ${SIDEBAR_WIDTH}px)` },
      }}
    >
      <Toolbar>
        {isMobile ? (
          <>
            <IconButton edge="start" aria-label="open drawer">
              <MenuIcon />
            </IconButton>
            <Box sx={{ flexGrow: 1 }} />
            {count > 0 && (
              <>
                <IconButton aria-label="Clear selection" onClick={() => dispatch(clearSelection())}>
                  <Badge badgeContent={count} color="primary">
                    <CloseIcon />
                  </Badge>
                </IconButton>
                <IconButton aria-label="More actions" onClick={(e) => openMore(e.currentTarget)}>
                  <Badge badgeContent={count} color="primary">
                    <MoreIcon />
                  </Badge>
                </IconButton>
              </>
            )}
          </>
        ) : (
          <>
            <Stack direction="row" spacing={1} alignItems="center">
              <Button
                variant="contained"
                disableElevation
                startIcon={<AddIcon />}
                onClick={() => dispatch(openPrompt({ kind: 'newFolder', targets: [] }))}
              >
                New
              </Button>
              {count > 0 ? <SelectedActions count={count} onMore={openMore} /> : <SearchBox />}
            </Stack>
            <Box sx={{ flexGrow: 1 }} />
          </>
        )}
        <Stack direction="row" spacing={1}>
          <IconButton aria-haspopup="true">
            <Avatar sx={{ width: 32, height: 32, bgcolor: 'secondary.main' }}>
              {(user?.nickname ?? '?').slice(0, 1)}
            </Avatar>
          </IconButton>
        </Stack>
      </Toolbar>
    </AppBar>
  );
}
