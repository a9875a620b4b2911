import {
  Box,
  LinearProgress,
  List,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  Paper,
  Typography,
} from '@mui/material';
import { navigate } from '../common/navigation';
import { ArchiveIcon, HomeIcon } from '../common/icons';
import { useAppSelector } from '../store/store';

export const SIDEBAR_WIDTH = 240;

function formatSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Left navigation: My Files, Background Tasks and the storage meter (from /user/capacity). */
export function Sidebar({ page }: { page: 'home' | 'tasks' }) {
  const capacity = useAppSelector((s) => s.globalState.capacity);
  const title = useAppSelector((s) => s.siteConfig.basic.config.title) ?? 'Cloudreve';
  return (
    <Box
      component="nav"
      sx={{
        display: { xs: 'none', md: 'flex' },
        flexDirection: 'column',
        position: 'fixed',
        top: 0,
        bottom: 0,
        width: SIDEBAR_WIDTH,
        p: 2,
        gap: 1,
      }}
    >
      <Typography
        variant="subtitle1"
        noWrap
        sx={{ fontWeight: 700, fontSize: 18, px: 1, height: 40, display: 'flex', alignItems: 'center' }}
      >
        {title}
      </Typography>
      <List dense>
        <ListItemButton selected={page === 'home'} sx={{ borderRadius: '20px' }} onClick={() => navigate('/home')}>
          <ListItemIcon>
            <HomeIcon fontSize="small" />
          </ListItemIcon>
          <ListItemText primary="My Files" />
        </ListItemButton>
        <ListItemButton selected={page === 'tasks'} sx={{ borderRadius: '20px' }} onClick={() => navigate('/tasks')}>
          <ListItemIcon>
            <ArchiveIcon fontSize="small" />
          </ListItemIcon>
          <ListItemText primary="Background Tasks" />
        </ListItemButton>
      </List>
      {capacity && (
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Typography variant="subtitle2">Storage</Typography>
          <LinearProgress
            variant="determinate"
            value={capacity.total ? Math.min(100, (capacity.used / capacity.total) * 100) : 0}
            sx={{ my: 1, borderRadius: '4px', height: 8 }}
          />
          <Typography variant="caption" color="text.secondary">
            {formatSize(capacity.used)} / {formatSize(capacity.total)}
          </Typography>
        </Paper>
      )}
    </Box>
  );
}
