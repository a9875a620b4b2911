import { Box, Grid, Typography } from '@mui/material';
import type { FileResponse } from '../api/types';
import { GridItem } from './GridItem';

function Section({
  title,
  items,
  selected,
}: {
  title: string;
  items: [FileResponse, number][];
  selected: Record<string, unknown>;
}) {
  if (items.length === 0) return null;
  return (
    <Box sx={{ mb: 2 }}>
      <Typography variant="body2" sx={{ fontWeight: 600, mb: 1.5 }}>
        {title}
      </Typography>
      <Grid container spacing={2}>
        {items.map(([file, index]) => (
          <Grid key={file.path} item xs={6} sm={4} md={3} xl={2}>
            <GridItem file={file} index={index} selected={!!selected[file.path]} />
          </Grid>
        ))}
      </Grid>
    </Box>
  );
}

/** Grid layout (FE GridView.tsx): "Folders" then "Files"; data-rect-id is the index in the loaded list. */
export function GridView({ files, selected }: { files: FileResponse[]; selected: Record<string, unknown> }) {
  const indexed = files.map((f, i) => [f, i] as [FileResponse, number]);
  return (
    <Box sx={{ p: 2 }}>
      <Section title="Folders" items={indexed.filter(([f]) => f.type === 1)} selected={selected} />
      <Section title="Files" items={indexed.filter(([f]) => f.type !== 1)} selected={selected} />
    </Box>
  );
}
