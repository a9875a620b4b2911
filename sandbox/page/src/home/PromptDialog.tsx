import { Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField } from '@mui/material';
import { useEffect, useState } from 'react';
import { createFolder, moveFiles, renameFile } from '../store/action-thunks';
import { FileManagerIndex } from '../store/file-manager-slice';
import { openPrompt, type PromptKind } from '../store/global-state-slice';
import { useAppDispatch, useAppSelector } from '../store/store';

const TITLES: Record<PromptKind, { title: string; label: string }> = {
  rename: { title: 'Rename', label: 'New name' },
  copy: { title: 'Copy to', label: 'Destination folder URI' },
  move: { title: 'Move to', label: 'Destination folder URI' },
  newFolder: { title: 'New folder', label: 'Folder name' },
};

/** One text field dialog for rename, copy/move (destination URI) and new folder. */
export function PromptDialog() {
  const dispatch = useAppDispatch();
  const prompt = useAppSelector((s) => s.globalState.prompt);
  const fm = useAppSelector((s) => s.fileManager[FileManagerIndex.main]!);
  const [value, setValue] = useState('');
  useEffect(() => {
    if (!prompt) return;
    if (prompt.kind === 'rename') setValue(fm.selected[prompt.targets[0] ?? '']?.name ?? '');
    else if (prompt.kind === 'newFolder') setValue('');
    else setValue(fm.pure_path ?? 'cloudreve://my');
    // Initialise only when a prompt opens, not on every list change.
  }, [prompt]);
  if (!prompt) return <Dialog open={false} />;
  const close = () => dispatch(openPrompt(undefined));
  const submit = () => {
    close();
    const [first] = prompt.targets;
    if (prompt.kind === 'rename' && first) void dispatch(renameFile(first, value));
    else if (prompt.kind === 'newFolder') void dispatch(createFolder(value));
    else if (prompt.kind !== 'rename') void dispatch(moveFiles(prompt.targets, value, prompt.kind === 'copy'));
  };
  const { title, label } = TITLES[prompt.kind];
  return (
    <Dialog open onClose={close} fullWidth maxWidth="xs">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <TextField
          label={label}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          fullWidth
          autoFocus
          sx={{ mt: 1 }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Cancel</Button>
        <Button variant="contained" disabled={!value} onClick={submit}>
          OK
        </Button>
      </DialogActions>
    </Dialog>
  );
}
