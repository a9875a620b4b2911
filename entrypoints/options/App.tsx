import { browser } from '#imports';
import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging/protocol';
import { watchStoredServers } from '@/lib/servers/registry';
import type { ServerView } from '@/lib/servers/types';
import { ConnectForm } from './components/ConnectForm';
import { ServerCard } from './components/ServerCard';
import { SettingsForm } from './components/SettingsForm';
import { StorageAccessRequests } from './components/StorageAccessRequests';
import { StorageUse } from './components/StorageUse';

export function App() {
  const [servers, setServers] = useState<ServerView[]>();
  const refresh = () => void sendMessage('listServers').then(setServers, () => setServers([]));
  useEffect(() => {
    document.documentElement.lang = browser.i18n.getUILanguage();
    refresh();
    // Access granted or revoked elsewhere (e.g. in the browser's extension settings).
    const changed = () => refresh();
    browser.permissions.onAdded.addListener(changed);
    browser.permissions.onRemoved.addListener(changed);
    // Signed in or out on the server's page, a token refreshed: the cards follow without a reload.
    const unwatch = watchStoredServers(changed);
    return () => {
      unwatch();
      browser.permissions.onAdded.removeListener(changed);
      browser.permissions.onRemoved.removeListener(changed);
    };
  }, []);

  return (
    <main class="options" data-testid="options">
      <h1>{t('optTitle', 'Cloudreve Archiver settings')}</h1>
      <StorageAccessRequests />
      <section aria-labelledby="servers-title">
        <h2 id="servers-title">{t('optServersTitle', 'Servers')}</h2>
        {servers && servers.length === 0 && <p class="muted">{t('optNoServers', 'No server connected yet.')}</p>}
        <ul class="servers" data-testid="server-list">
          {servers?.map((server) => (
            <ServerCard key={server.id} server={server} onChanged={refresh} />
          ))}
        </ul>
      </section>
      <ConnectForm onConnected={refresh} />
      <SettingsForm />
      <StorageUse />
    </main>
  );
}
