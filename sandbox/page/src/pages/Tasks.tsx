import { Alert, Box, Chip, IconButton, Paper, Stack, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { send } from '../api/request';
import type { TaskListResponse, TaskResponse } from '../api/types';
import { ArchiveIcon, RefreshIcon } from '../common/icons';

// The real task page refreshes every 20 s (FE Pages/Tasks/TaskList.tsx).
const POLL_MS = 20_000;

const STATUS_LABEL: Record<TaskResponse['status'], string> = {
  queued: 'Queueing',
  processing: 'Processing',
  suspending: 'Processing',
  completed: 'Completed',
  error: 'Error',
  canceled: 'Canceled',
};

function baseName(uri: string): string {
  const name = uri.split('?')[0]!.replace(/\/+$/, '').split('/').pop() ?? uri;
  return decodeURIComponent(name);
}

/** "Create archive file to archive.zip for a.txt b.txt", like the real task list. */
export function taskName(task: TaskResponse): string {
  const props = task.summary?.props ?? {};
  const srcs = props.src_multiple ?? (props.src ? [props.src] : []);
  if (task.type === 'create_archive') {
    return `Create archive file to ${baseName(props.dst ?? '')} for ${srcs.map(baseName).join(' ')}`;
  }
  if (task.type === 'extract_archive') return `Extract ${srcs.map(baseName).join(' ')} to ${baseName(props.dst ?? '')}`;
  return task.type;
}

/** /tasks: GET /workflow?page_size=25&category=general, polled every 20 s. */
export function Tasks() {
  const [tasks, setTasks] = useState<TaskResponse[]>();
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      const res = await send<TaskListResponse>('GET', '/workflow?page_size=25&category=general');
      setTasks(res.tasks);
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  return (
    <Paper variant="outlined" sx={{ flex: 1, mx: 2, mb: 2, p: 3, overflow: 'auto' }}>
      <Stack direction="row" alignItems="center" spacing={1} sx={{ mb: 3 }}>
        <Typography variant="h4" sx={{ fontWeight: 700 }}>
          Background Tasks
        </Typography>
        <IconButton aria-label="Refresh" onClick={() => void load()}>
          <RefreshIcon />
        </IconButton>
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
      {tasks?.length === 0 && <Typography color="text.secondary">No tasks.</Typography>}
      <Stack spacing={1}>
        {tasks?.map((task) => (
          <Box
            key={task.id}
            data-task-id={task.id}
            sx={{
              display: 'flex',
              alignItems: 'center',
              gap: 1.5,
              p: 1.5,
              borderRadius: '8px',
              bgcolor: 'action.hover',
            }}
          >
            <ArchiveIcon fontSize="small" color="action" />
            <Typography variant="body2" sx={{ fontWeight: 600, flex: 1 }}>
              {taskName(task)}
            </Typography>
            {task.error && (
              <Typography variant="caption" color="error">
                {task.error}
              </Typography>
            )}
            <Chip
              size="small"
              variant="outlined"
              label={STATUS_LABEL[task.status] ?? task.status}
              data-status={task.status}
            />
          </Box>
        ))}
      </Stack>
    </Paper>
  );
}
