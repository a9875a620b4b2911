/**
 * Which server to browse: WebDAV servers, and Cloudreve servers with a WebDAV
 * account. A signed-in Cloudreve server whose group allows WebDAV offers to
 * set one up (provisionDav).
 */
import { t } from '@/lib/i18n';
import type { ServerView } from '@/lib/servers/types';

/** Servers the page can browse right now. */
export function browsable(servers: readonly ServerView[]): ServerView[] {
  return servers.filter((server) => server.dav !== undefined);
}

/** Cloudreve servers that could get a WebDAV account of ours. */
export function provisionable(servers: readonly ServerView[]): ServerView[] {
  return servers.filter(
    (server) =>
      server.kind === 'cloudreve' && !server.dav && server.authState === 'signed-in' && server.permissions?.webdav,
  );
}

export function ServerPicker(props: {
  servers: ServerView[];
  serverId: string | undefined;
  busy: boolean;
  onPick(serverId: string): void;
  onProvision(serverId: string): void;
}) {
  const usable = browsable(props.servers);
  const offer = provisionable(props.servers);
  return (
    <div class="picker">
      <label>
        <span>{t('browseServer', 'Server')}</span>
        <select
          data-testid="server-select"
          value={props.serverId ?? ''}
          onChange={(event) => props.onPick((event.target as HTMLSelectElement).value)}
        >
          {!props.serverId && <option value="">{t('browsePickServer', 'Choose a server…')}</option>}
          {usable.map((server) => (
            <option key={server.id} value={server.id}>
              {server.kind === 'cloudreve' ? `${server.label} (Cloudreve WebDAV)` : server.label}
            </option>
          ))}
        </select>
      </label>
      {offer.map((server) => (
        <button
          key={server.id}
          type="button"
          data-testid="provision"
          disabled={props.busy}
          onClick={() => props.onProvision(server.id)}
        >
          {t('browseProvision', 'Use WebDAV on $1', [server.label])}
        </button>
      ))}
      {usable.length === 0 && offer.length === 0 && (
        <p class="note" data-testid="no-servers">
          {t('browseNoServers', 'No WebDAV server is connected yet. Connect one in the options page.')}
        </p>
      )}
    </div>
  );
}
