import { Button, Snackbar } from '@mui/material';
import { showSnackbar } from '../store/global-state-slice';
import { useAppDispatch, useAppSelector } from '../store/store';
import { navigate } from './navigation';

/** The app-wide snackbar ("Task created." with View / Dismiss, errors). */
export function AppSnackbar() {
  const snackbar = useAppSelector((s) => s.globalState.snackbar);
  const dispatch = useAppDispatch();
  const close = () => dispatch(showSnackbar(undefined));
  return (
    <Snackbar
      open={!!snackbar}
      autoHideDuration={6000}
      onClose={(_e, reason) => reason !== 'clickaway' && close()}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
      message={snackbar?.message}
      action={
        <>
          {snackbar?.viewTasks && (
            <Button
              color="primary"
              size="small"
              onClick={() => {
                close();
                navigate('/tasks');
              }}
            >
              View
            </Button>
          )}
          <Button color="inherit" size="small" onClick={close}>
            Dismiss
          </Button>
        </>
      }
    />
  );
}
