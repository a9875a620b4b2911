import { CssBaseline, ThemeProvider, createTheme, useMediaQuery } from '@mui/material';
import { useEffect, useMemo } from 'react';
import { currentSession } from './api/session';
import { navigate, useLocation } from './common/navigation';
import { isShareUri, pathFromLocation } from './common/uri';
import { AppSnackbar } from './common/AppSnackbar';
import { Frame } from './home/Frame';
import { Explorer } from './home/Explorer';
import { SignIn } from './pages/SignIn';
import { Tasks } from './pages/Tasks';
import { loadBasicConfig } from './store/site-thunks';
import { useAppDispatch } from './store/store';

function Routes() {
  const pathname = useLocation().split('?')[0];
  const signedIn = !!currentSession();
  // A share link opens /home?path=<share URI> for anyone, signed in or not (FE: shares are read anonymously).
  const sharePage = pathname === '/home' && isShareUri(pathFromLocation());
  const needsLogin = pathname !== '/session' && !signedIn && !sharePage;
  useEffect(() => {
    if (needsLogin) navigate('/session', true);
    else if (pathname === '/' || (pathname !== '/session' && pathname !== '/tasks' && pathname !== '/home')) {
      navigate('/home', true);
    }
  }, [needsLogin, pathname]);
  if (pathname === '/session') return <SignIn />;
  if (needsLogin) return null;
  if (pathname === '/tasks')
    return (
      <Frame page="tasks">
        <Tasks />
      </Frame>
    );
  return (
    <Frame page="home">
      <Explorer />
    </Frame>
  );
}

/** Theme (following prefers-color-scheme), the site config fetch made on every load, and routing by pathname. */
export function App() {
  const dark = useMediaQuery('(prefers-color-scheme: dark)');
  const theme = useMemo(
    () =>
      createTheme({
        palette: { mode: dark ? 'dark' : 'light', primary: { main: '#1976d2' } },
        shape: { borderRadius: 12 },
        typography: { button: { textTransform: 'none' } },
        components: { MuiListItemIcon: { styleOverrides: { root: { minWidth: 36 } } } },
      }),
    [dark],
  );
  const dispatch = useAppDispatch();
  useEffect(() => {
    void dispatch(loadBasicConfig()).catch(() => undefined);
  }, [dispatch]);
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <Routes />
      <AppSnackbar />
    </ThemeProvider>
  );
}
