import { Box, ButtonBase, Tooltip, Typography, alpha } from '@mui/material';
import { memo } from 'react';
import type { FileResponse } from '../api/types';
import { CheckCircleIcon, FileIcon, FolderIcon } from '../common/icons';
import { useItemHandlers } from './use-item-handlers';

/** Leading icon slot (FE FileSmallIcon): the check when selected (colorPrimary), else the type icon (colorAction). */
export function SmallIcon({ file, selected }: { file: FileResponse; selected: boolean }) {
  if (selected) return <CheckCircleIcon color="primary" />;
  return file.type === 1 ? <FolderIcon color="action" /> : <FileIcon color="action" />;
}

/**
 * One grid item (FE GridView/GridFile.tsx): `button[data-rect-id]` with the name's
 * aria-label on the inner Typography, copied there by the Tooltip. `selected` reaches
 * the DOM button, where React sets it as a property (el.selected), like the real app.
 */
export const GridItem = memo(function GridItem({
  file,
  index,
  selected,
}: {
  file: FileResponse;
  index: number;
  selected: boolean;
}) {
  const handlers = useItemHandlers(file, index);
  const isFolder = file.type === 1;
  const selectedProp = { selected } as object;
  return (
    <ButtonBase
      data-rect-id={String(index)}
      draggable
      {...selectedProp}
      {...handlers}
      sx={(theme) => ({
        width: '100%',
        display: 'block',
        textAlign: 'left',
        borderRadius: '12px',
        bgcolor: selected ? alpha(theme.palette.primary.main, 0.18) : theme.palette.action.hover,
        '&:hover': { bgcolor: selected ? alpha(theme.palette.primary.main, 0.18) : theme.palette.action.selected },
      })}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, px: 2, height: 48 }}>
        <Box sx={{ display: 'flex' }}>
          <SmallIcon file={file} selected={selected} />
        </Box>
        <Tooltip title={file.name} enterDelay={800}>
          <Typography variant="body2" noWrap>
            {file.name}
          </Typography>
        </Tooltip>
      </Box>
      {!isFolder && (
        <Box
          sx={{
            mx: 1,
            mb: 1,
            height: 180,
            borderRadius: '8px',
            bgcolor: 'background.paper',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
          }}
        >
          <FileIcon color="action" sx={{ fontSize: 56 }} />
        </Box>
      )}
    </ButtonBase>
  );
});
