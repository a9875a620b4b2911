/**
 * Sign in to a Cloudreve server from the extension: email and password, the
 * server's image captcha when it asks for one, then the 2FA code when login
 * answers "two-factor" (docs/cloudreve-api.md#two-factor-login).
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging/protocol';
import type { ServerView } from '@/lib/servers/types';
import { useAction } from '../use-action';
import { ActionError } from './ActionError';
import { TextField } from './TextField';

/** Real Cloudreve sends a data: URL; a bare base64 string is taken as PNG. */
function imageSource(image: string): string {
  return image.startsWith('data:') ? image : `data:image/png;base64,${image}`;
}

export function SignInForm({ server, onDone }: { server: ServerView; onDone(): void }) {
  const [email, setEmail] = useState(server.account?.email ?? '');
  const [password, setPassword] = useState('');
  const [captcha, setCaptcha] = useState<{ image: string; ticket: string }>();
  const [answer, setAnswer] = useState('');
  const [sessionId, setSessionId] = useState<string>();
  const [otp, setOtp] = useState('');
  const action = useAction();

  const loadCaptcha = () =>
    action.run(async () => {
      const reply = await sendMessage('getCaptcha', server.id);
      setCaptcha(
        reply.required && reply.image && reply.ticket ? { image: reply.image, ticket: reply.ticket } : undefined,
      );
      setAnswer('');
    });
  useEffect(() => void loadCaptcha(), [server.id]);

  const submit = (event: Event) => {
    event.preventDefault();
    void action
      .run(async () => {
        const reply = sessionId
          ? await sendMessage('loginTwoFactor', { serverId: server.id, sessionId, otp: otp.trim() })
          : await sendMessage('login', {
              serverId: server.id,
              email: email.trim(),
              password,
              ...(captcha && { captcha: answer.trim(), ticket: captcha.ticket }),
            });
        if (reply.kind === 'two-factor') {
          setSessionId(reply.sessionId);
          return;
        }
        setPassword('');
        onDone();
      })
      .then(() => {
        // A used captcha is spent: fetch a fresh one for the next attempt.
        if (captcha && !sessionId) void loadCaptcha();
      });
  };

  return (
    <form
      class="stack signin"
      onSubmit={submit}
      data-testid="sign-in-form"
      aria-label={t('optSignInTo', 'Sign in to $1', [server.label])}
    >
      {!sessionId ? (
        <>
          <TextField
            label={t('optEmail', 'Email')}
            type="email"
            required
            autocomplete="username"
            value={email}
            onValue={setEmail}
            testId="sign-in-email"
          />
          <TextField
            label={t('optPassword', 'Password')}
            type="password"
            required
            autocomplete="current-password"
            value={password}
            onValue={setPassword}
            testId="sign-in-password"
          />
          {captcha && (
            <div class="captcha">
              <img
                src={imageSource(captcha.image)}
                alt={t('optCaptchaImage', 'Captcha image')}
                data-testid="captcha-image"
              />
              <button type="button" onClick={() => void loadCaptcha()}>
                {t('optCaptchaReload', 'New image')}
              </button>
              <TextField
                label={t('optCaptcha', 'Characters in the image')}
                required
                value={answer}
                onValue={setAnswer}
                testId="captcha-answer"
              />
            </div>
          )}
        </>
      ) : (
        <TextField
          label={t('optOtp', 'Code from your authenticator app')}
          required
          inputMode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          value={otp}
          onValue={setOtp}
          testId="sign-in-otp"
        />
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={action.busy} data-testid="sign-in-submit">
          {sessionId ? t('optVerify', 'Verify') : t('actionSignIn', 'Sign in')}
        </button>
      </div>
      <ActionError error={action.error} testId="sign-in-error" />
      <p class="hint">
        {t('optSignInHint', 'Or just sign in on your Cloudreve page: the extension picks the session up.')}
      </p>
    </form>
  );
}
