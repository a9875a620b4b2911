/**
 * Connect a server by its address. The host permission is requested first,
 * straight from the click (the browser only shows the prompt during a user
 * gesture, docs/browser-platform.md#host-permissions); a v3 or non-Cloudreve answer offers WebDAV.
 */
import { browser } from '#imports';
import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging/protocol';
import { originPattern } from '@/lib/servers/host-pattern';
import { normalizeOrigin } from '@/lib/servers/types';
import { useAction } from '../use-action';
import { ActionError } from './ActionError';
import { TextField } from './TextField';

async function requestHost(url: string): Promise<void> {
  let origin: string;
  try {
    origin = normalizeOrigin(url.trim());
  } catch {
    throw { code: 'invalid-uri', message: url };
  }
  const granted = await browser.permissions.request({ origins: [originPattern(origin)] });
  if (!granted) throw { code: 'host-permission-missing', message: origin };
}

export function ConnectForm({ onConnected }: { onConnected(): void }) {
  const [url, setUrl] = useState('');
  const [dav, setDav] = useState(false);
  const [davUrl, setDavUrl] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const offerDav = action.error?.code === 'not-cloudreve' || action.error?.code === 'cloudreve-v3-unsupported';

  /** Asks for host access to `address`, then adds the server (`add`) and tidies the form (`done`). */
  const submit = (address: string, add: () => Promise<unknown>, done: () => void) => (event: Event) => {
    event.preventDefault();
    // No await before request(): it must run inside the click's user gesture.
    const permission = requestHost(address);
    void action.run(async () => {
      await permission;
      await add();
      done();
      onConnected();
    });
  };
  const connect = submit(
    url,
    () => sendMessage('addServer', { url: url.trim() }),
    () => setUrl(''),
  );
  const connectDav = submit(
    davUrl,
    () => sendMessage('addDavServer', { url: davUrl.trim(), username, password }),
    () => (setDav(false), setPassword('')),
  );
  const showDav = () => {
    setDav(true);
    setDavUrl(davUrl || url);
    action.clearError();
  };

  return (
    <section class="card" aria-labelledby="connect-title">
      <h2 id="connect-title">{t('optConnectTitle', 'Connect a server')}</h2>
      {!dav ? (
        <form onSubmit={connect} class="row">
          <TextField
            label={t('optServerUrl', 'Cloudreve address')}
            class="grow"
            type="url"
            required
            placeholder="https://cloud.example.com"
            value={url}
            onValue={setUrl}
            testId="connect-url"
          />
          <button type="submit" class="primary" disabled={action.busy} data-testid="connect-submit">
            {t('optConnect', 'Connect')}
          </button>
        </form>
      ) : (
        <form onSubmit={connectDav} class="stack" data-testid="dav-form">
          <TextField
            label={t('optDavUrl', 'WebDAV address')}
            type="url"
            required
            value={davUrl}
            onValue={setDavUrl}
            testId="dav-url"
          />
          <TextField
            label={t('optDavUser', 'User name')}
            required
            autocomplete="username"
            value={username}
            onValue={setUsername}
            testId="dav-user"
          />
          <TextField
            label={t('optDavPassword', 'Password')}
            type="password"
            required
            autocomplete="current-password"
            value={password}
            onValue={setPassword}
            testId="dav-password"
          />
          <div class="row">
            <button type="submit" class="primary" disabled={action.busy} data-testid="dav-submit">
              {t('optConnectDav', 'Connect WebDAV')}
            </button>
            <button type="button" onClick={() => setDav(false)}>
              {t('optBack', 'Back')}
            </button>
          </div>
        </form>
      )}
      <ActionError error={action.error} testId="connect-error" />
      {offerDav && !dav && (
        <button type="button" onClick={showDav} data-testid="offer-dav">
          {t('optUseDav', 'Connect as a WebDAV server')}
        </button>
      )}
      {!dav && !offerDav && (
        <p class="hint">
          <button type="button" class="link" onClick={showDav} data-testid="show-dav">
            {t('optDavInstead', 'Not Cloudreve? Connect any WebDAV server.')}
          </button>
        </p>
      )}
    </section>
  );
}
