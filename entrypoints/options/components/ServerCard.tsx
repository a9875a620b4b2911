/** One connected server: who is signed in, what the group allows, and what can be done. */
import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging/protocol';
import type { ServerView } from '@/lib/servers/types';
import { useAction } from '../use-action';
import { ActionError } from './ActionError';
import { SignInForm } from './SignInForm';
import { showHidden } from '@/lib/visible-text';
import { pageSessionState } from '@/lib/servers/types';

function Allowed({ label, value, testId }: { label: string; value?: boolean; testId: string }) {
  return (
    <li class={value ? 'yes' : 'no'} data-testid={testId} data-allowed={String(Boolean(value))}>
      <span aria-hidden="true">{value ? '✓' : '✕'}</span> {label}
      <span class="sr-only">{value ? t('optAllowed', 'allowed') : t('optNotAllowed', 'not allowed')}</span>
    </li>
  );
}

export function ServerCard({ server, onChanged }: { server: ServerView; onChanged(): void }) {
  const action = useAction();
  const [tested, setTested] = useState(false);
  const cloudreve = server.kind === 'cloudreve';
  const signedIn = cloudreve && server.authState === 'signed-in';
  const showSignIn = cloudreve && server.hostPermission !== false && !signedIn;

  const test = () =>
    void action.run(async () => {
      await sendMessage('testConnection', server.id);
      setTested(true);
      onChanged();
    });
  const grant = () => action.grant(server.origin, onChanged);

  return (
    <li
      class="card server"
      data-testid="server-card"
      data-server-id={server.id}
      data-kind={server.kind}
      aria-label={showHidden(server.label)}
    >
      <header class="server-head">
        <div>
          <h3>{showHidden(server.label)}</h3>
          <p class="muted">
            {server.origin} · {cloudreve ? `Cloudreve ${server.version ?? ''}${server.pro ? ' Pro' : ''}` : 'WebDAV'}
          </p>
        </div>
        <span class={`state ${signedIn || !cloudreve ? 'ok' : 'warn'}`} data-testid="server-state">
          {!cloudreve
            ? t('optDavConnected', 'Connected as $1', [server.dav?.username ?? ''])
            : signedIn
              ? t('optSignedInAs', 'Signed in as $1', [showHidden(server.account?.email ?? '')])
              : t('optSignInAgain', 'Sign in again')}
        </span>
      </header>
      {signedIn && server.account?.group && <p class="muted">{t('optGroup', 'Group: $1', [server.account.group])}</p>}
      {cloudreve && pageSessionState(server) === 'other' && (
        <p class="muted" data-testid="server-page-account">
          {t('serverPageAccount', 'The page of this server is signed in as $1 (the extension does not use it).', [
            showHidden(server.pageAccount!.email),
          ])}
        </p>
      )}
      {cloudreve && server.permissions && (
        <ul class="allowed" aria-label={t('optPermissions', 'What this account may do')}>
          <Allowed
            label={t('optPermArchive', 'Archive on the server')}
            value={server.permissions.archiveTask}
            testId="perm-archive"
          />
          <Allowed label={t('optPermWebdav', 'WebDAV')} value={server.permissions.webdav} testId="perm-webdav" />
        </ul>
      )}
      {server.hostPermission === false && (
        <p class="message warn">
          {t('errHostPermission', 'The extension has no access to this server yet. Grant access in the options page.')}{' '}
          <button type="button" onClick={grant} data-testid="grant-access">
            {t('optGrantAccess', 'Grant access')}
          </button>
        </p>
      )}
      {showSignIn && <SignInForm server={server} onDone={onChanged} />}
      <div class="row">
        <button type="button" onClick={test} disabled={action.busy} data-testid="test-connection">
          {t('optTest', 'Test connection')}
        </button>
        {signedIn && (
          <button
            type="button"
            onClick={() => void action.run(async () => (await sendMessage('signOut', server.id), onChanged()))}
            data-testid="sign-out"
          >
            {t('optSignOut', 'Sign out')}
          </button>
        )}
        <button
          type="button"
          class="danger"
          onClick={() => void action.run(async () => (await sendMessage('removeServer', server.id), onChanged()))}
          data-testid="remove-server"
        >
          {t('optRemove', 'Remove')}
        </button>
        {tested && !action.error && (
          <span class="message ok" role="status" data-testid="test-result">
            {t('optTestOk', 'Connection works')}
          </span>
        )}
      </div>
      <ActionError error={action.error} testId="server-error" />
    </li>
  );
}
