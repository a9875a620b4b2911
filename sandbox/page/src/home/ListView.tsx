import { Box, Typography, alpha } from '@mui/material';
import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { FileResponse } from '../api/types';
import { SmallIcon } from './GridItem';
import { useItemHandlers } from './use-item-handlers';

const ROW_HEIGHT = 60;
// react-virtuoso in the real app renders the viewport plus ~180 px either side.
const OVERSCAN_PX = 180;

const ListRow = memo(function ListRow({
  file,
  index,
  selected,
}: {
  file: FileResponse;
  index: number;
  selected: boolean;
}) {
  const handlers = useItemHandlers(file, index);
  const selectedProp = { selected } as object;
  return (
    <Box
      draggable
      {...selectedProp}
      {...handlers}
      sx={(theme) => ({
        display: 'flex',
        alignItems: 'center',
        height: ROW_HEIGHT,
        px: 1,
        gap: 2,
        cursor: 'pointer',
        borderBottom: 1,
        borderColor: 'divider',
        bgcolor: selected ? alpha(theme.palette.primary.main, 0.18) : undefined,
        '&:hover': { bgcolor: selected ? alpha(theme.palette.primary.main, 0.18) : theme.palette.action.hover },
      })}
    >
      <Box sx={{ display: 'flex', width: 40, justifyContent: 'center' }}>
        <SmallIcon file={file} selected={selected} />
      </Box>
      <Box sx={{ flex: 6, minWidth: 0 }}>
        <Box aria-label={file.name} sx={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {file.name}
        </Box>
      </Box>
      <Typography variant="body2" sx={{ flex: 1 }}>
        {file.type === 1 ? '' : `${file.size} B`}
      </Typography>
      <Typography variant="body2" sx={{ flex: 2 }}>
        {new Date(file.updated_at).toLocaleString()}
      </Typography>
    </Box>
  );
});

/**
 * List layout: a fixed-row-height virtual list standing in for react-virtuoso.
 * Only rows in the viewport (+ overscan) exist; each sits in a
 * `div[data-index][data-known-size][data-item-index]` wrapper like virtuoso's.
 */
export function ListView({ files, selected }: { files: FileResponse[]; selected: Record<string, unknown> }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  useLayoutEffect(() => {
    const el = scroller.current!;
    const update = () => setView({ top: el.scrollTop, height: el.clientHeight });
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    el.addEventListener('scroll', update, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', update);
    };
  }, []);
  const first = Math.max(0, Math.floor((view.top - OVERSCAN_PX) / ROW_HEIGHT));
  const last = Math.min(files.length, Math.ceil((view.top + view.height + OVERSCAN_PX) / ROW_HEIGHT));
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <Box
        sx={{
          display: 'flex',
          gap: 2,
          px: 1,
          height: 40,
          alignItems: 'center',
          borderBottom: 1,
          borderColor: 'divider',
          fontWeight: 600,
        }}
      >
        <Box sx={{ width: 40 }} />
        <Typography variant="body2" sx={{ flex: 6, fontWeight: 600 }}>
          Name
        </Typography>
        <Typography variant="body2" sx={{ flex: 1, fontWeight: 600 }}>
          Size
        </Typography>
        <Typography variant="body2" sx={{ flex: 2, fontWeight: 600 }}>
          Last modified
        </Typography>
      </Box>
      <div
        ref={scroller}
        data-testid="virtuoso-scroller"
        data-virtuoso-scroller="true"
        tabIndex={0}
        style={{ flex: 1, minHeight: 0, overflowY: 'auto', outline: 'none' }}
      >
        <div data-viewport-type="element" style={{ height: files.length * ROW_HEIGHT, position: 'relative' }}>
          <div
            data-testid="virtuoso-item-list"
            style={{ position: 'absolute', top: first * ROW_HEIGHT, left: 0, right: 0 }}
          >
            {files.slice(first, last).map((file, i) => (
              <div key={file.path} data-index={first + i} data-known-size={ROW_HEIGHT} data-item-index={first + i}>
                <ListRow file={file} index={first + i} selected={!!selected[file.path]} />
              </div>
            ))}
          </div>
        </div>
      </div>
    </Box>
  );
}
