import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useEffect, useState } from 'react';
import { createArchive } from '../store/action-thunks';
import { FileManagerIndex } from '../store/file-manager-slice';
import { openCreateArchive } from '../store/global-state-slice';
import { useAppDispatch, useAppSelector } from '../store/store';

/** FE Dialogs/CreateArchive.tsx: name `archive.zip`, destination = current pure_path. */
export function CreateArchiveDialog() {
  const dispatch = useAppDispatch();
  const request = useAppSelector((s) => s.globalState.createArchive);
  const folder = useAppSelector((s) => s.fileManager[FileManagerIndex.main]!.pure_path) ?? 'cloudreve://my';
  const [name, setName] = useState('archive.zip');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (request) setName('archive.zip');
  }, [request]);
  const close = () => dispatch(openCreateArchive(undefined));
  const submit = async () => {
    if (!request || !name) return;
    setBusy(true);
    await dispatch(createArchive(request.targets, name));
    setBusy(false);
  };
  return (
    <Dialog open={!!request} onClose={close} fullWidth maxWidth="sm">
      <DialogTitle>Create archive file</DialogTitle>
      <DialogContent>
        <Stack spacing={3} sx={{ pt: 1 }}>
          <TextField label="Archive file name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
          <TextField label="Save to" value={folder} slotProps={{ input: { readOnly: true } }} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Cancel</Button>
        <Button variant="contained" disabled={busy || !name} onClick={() => void submit()}>
          OK
        </Button>
      </DialogActions>
    </Dialog>
  );
}
