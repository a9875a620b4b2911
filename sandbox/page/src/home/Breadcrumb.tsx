import { Box, Breadcrumbs, Link, Paper } from '@mui/material';
import { useEffect, useState } from 'react';
import { send } from '../api/request';
import { HomeIcon } from '../common/icons';
import { navigate } from '../common/navigation';
import { homeUrl, isShareUri, joinUri, MY_ROOT, rootOf, segments } from '../common/uri';

/**
 * The name of a share link's root as the real app shows it: the shared item's name from
 * `GET /share/info/<id>` (FE `src/component/FileManager/TopBar/BreadcrumbButton.tsx` loads the
 * share info for the root of a share filesystem); undefined while unknown.
 */
function useShareName(root: string): string | undefined {
  const [name, setName] = useState<string>();
  useEffect(() => {
    setName(undefined);
    const hint = /^cloudreve:\/\/([^@/]*)@share$/i.exec(root)?.[1];
    if (!hint) return;
    const [id = '', password = ''] = hint.split(':');
    const query = new URLSearchParams({ password });
    send<{ name: string }>('GET', `/share/info/${encodeURIComponent(id)}?${query.toString()}`)
      .then((info) => setName(info.name))
      .catch(() => undefined);
  }, [root]);
  return name;
}

/** The current folder as links: My Files (or the share's name on a share link) / seg / seg. */
export function Breadcrumb({ path }: { path: string }) {
  const root = isShareUri(path) ? rootOf(path) : MY_ROOT;
  const shareName = useShareName(root);
  const rootLabel = root === MY_ROOT ? 'My Files' : (shareName ?? 'Shared');
  const names = segments(path);
  const targets = names.map((_, i) => names.slice(0, i + 1).reduce(joinUri, root));
  return (
    <Paper variant="outlined" sx={{ flex: 1, minWidth: 0, px: 2, height: 40, display: 'flex', alignItems: 'center' }}>
      <Breadcrumbs sx={{ fontSize: 14, fontWeight: 600 }}>
        <Link
          component="button"
          underline="hover"
          color="inherit"
          onClick={() => navigate(homeUrl(root))}
          sx={{ display: 'flex', alignItems: 'center', gap: 1 }}
        >
          <HomeIcon fontSize="small" />
          <Box aria-label={rootLabel}>{rootLabel}</Box>
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
