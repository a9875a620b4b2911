import { Alert, Box, Button, Paper, Stack, TextField, Typography } from '@mui/material';
import { useEffect, useState, type FormEvent } from 'react';
import { Code, request, send } from '../api/request';
import { saveLogin } from '../api/session';
import type { LoginResponse } from '../api/types';
import { navigate } from '../common/navigation';
import { loadBasicConfig } from '../store/site-thunks';
import { useAppDispatch } from '../store/store';

/** /session: email + password, then a 2FA code when the server answers 203 (FE Login/Signin/SignIn.tsx). */
export function SignIn() {
  const dispatch = useAppDispatch();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [twoFaSession, setTwoFaSession] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void send('GET', '/site/config/login').catch(() => undefined);
  }, []);

  const finish = (login: LoginResponse) => {
    saveLogin(login);
    void dispatch(loadBasicConfig()).catch(() => undefined);
    navigate('/home');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (twoFaSession) {
        finish(await send<LoginResponse>('POST', '/session/token/2fa', { otp, session_id: twoFaSession }));
      } else {
        const res = await request<LoginResponse | string>('POST', '/session/token', { email, password });
        if (res.code === Code.Continue) setTwoFaSession(res.data as string);
        else finish(res.data as LoginResponse);
      }
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box
      sx={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        bgcolor: 'background.default',
      }}
    >
      <Paper variant="outlined" component="form" onSubmit={submit} sx={{ p: 4, width: 400, maxWidth: '100%' }}>
        <Stack spacing={2}>
          <Typography variant="h5" sx={{ fontWeight: 600 }}>
            {twoFaSession ? '2FA verification' : 'Sign in'}
          </Typography>
          {error && <Alert severity="error">{error}</Alert>}
          {twoFaSession ? (
            <TextField
              label="Verification code"
              name="otp"
              value={otp}
              onChange={(e) => setOtp(e.target.value)}
              autoFocus
              autoComplete="one-time-code"
            />
          ) : (
            <>
              <TextField
                label="Email"
                name="email"
                type="email"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                autoFocus
                autoComplete="username"
              />
              <TextField
                label="Password"
                name="password"
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="current-password"
              />
            </>
          )}
          <Button type="submit" variant="contained" disabled={busy}>
            {twoFaSession ? 'Verify' : 'Sign in'}
          </Button>
        </Stack>
      </Paper>
    </Box>
  );
}
