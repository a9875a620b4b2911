import { Box, Button, ButtonGroup, Stack, Tooltip, useMediaQuery, useTheme } from '@mui/material';
import { CloseIcon, CopyIcon, DeleteIcon, DownloadIcon, MoreIcon, MoveIcon } from '../common/icons';
import { deleteFiles, download, selectedPaths } from '../store/action-thunks';
import { clearSelection } from '../store/explorer-thunks';
import { openPrompt } from '../store/global-state-slice';
import { store, useAppDispatch } from '../store/store';

/**
 * The selected-actions bar (FE Frame/NavBar/FileSelectedActions.tsx), rendered only
 * while something is selected so it is re-created on each 0 ↔ >0 change. Matches
 * `header.MuiAppBar-root .MuiStack-root:has(> .MuiButtonGroup-root > button.Mui-disabled)`.
 */
export function SelectedActions({ count, onMore }: { count: number; onMore: (el: HTMLElement) => void }) {
  const dispatch = useAppDispatch();
  const wide = useMediaQuery(useTheme().breakpoints.up('md'));
  const paths = () => selectedPaths(store.getState());
  const actions = [
    { label: 'Download', icon: <DownloadIcon fontSize="small" />, run: () => dispatch(download(paths())) },
    {
      label: 'Copy',
      icon: <CopyIcon fontSize="small" />,
      run: () => dispatch(openPrompt({ kind: 'copy', targets: paths() })),
    },
    {
      label: 'Move',
      icon: <MoveIcon fontSize="small" />,
      run: () => dispatch(openPrompt({ kind: 'move', targets: paths() })),
    },
    { label: 'Delete', icon: <DeleteIcon fontSize="small" />, run: () => dispatch(deleteFiles(paths())) },
  ];
  return (
    <Box>
      <Stack direction="row" spacing={1}>
        <ButtonGroup>
          <Button onClick={() => dispatch(clearSelection())}>
            <CloseIcon fontSize="small" />
          </Button>
          <Button disabled sx={{ '&.Mui-disabled': { color: 'text.primary' } }}>
            {count} selected
          </Button>
        </ButtonGroup>
        {wide && (
          <ButtonGroup>
            {actions.map((a) => (
              <Tooltip key={a.label} title={a.label}>
                <Button onClick={a.run}>{a.icon}</Button>
              </Tooltip>
            ))}
          </ButtonGroup>
        )}
        <ButtonGroup>
          <Button onClick={(e) => onMore(e.currentTarget)}>
            <MoreIcon fontSize="small" />
          </Button>
        </ButtonGroup>
      </Stack>
    </Box>
  );
}
