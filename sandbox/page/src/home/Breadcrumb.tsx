import { Box, Breadcrumbs, Link, Paper } from '@mui/material';
import { HomeIcon } from '../common/icons';
import { navigate } from '../common/navigation';
import { homeUrl, joinUri, MY_ROOT, segments } from '../common/uri';

/** The current folder as links: My Files / seg / seg. */
export function Breadcrumb({ path }: { path: string }) {
  const names = segments(path);
  const targets = names.map((_, i) => names.slice(0, i + 1).reduce(joinUri, MY_ROOT));
  return (
    <Paper variant="outlined" sx={{ flex: 1, minWidth: 0, px: 2, height: 40, display: 'flex', alignItems: 'center' }}>
      <Breadcrumbs sx={{ fontSize: 14, fontWeight: 600 }}>
        <Link
          component="button"
          underline="hover"
          color="inherit"
          onClick={() => navigate(homeUrl(MY_ROOT))}
          sx={{ display: 'flex', alignItems: 'center', gap: 1 }}
        >
          <HomeIcon fontSize="small" />
          <Box aria-label="My Files">My Files</Box>
        </Link>
        {names.map((name, i) => (
          <Link
            key={targets[i]}
            component="button"
            underline="hover"
            color="inherit"
            onClick={() => navigate(homeUrl(targets[i]!))}
          >
            {name}
          </Link>
        ))}
      </Breadcrumbs>
    </Paper>
  );
}
