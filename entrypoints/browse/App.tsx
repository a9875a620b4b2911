/**
 * The browse page (browse.html?server=<id>&path=<folder>): pick a WebDAV
 * server, walk its folders, select files and folders, and start an archive
 * stored next to them. Everything goes through the worker (davList,
 * startArchive), so this page never sees a password. State lives in
 * ./browse-store.ts; this view only reads it.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { errorCodeOf, toUserMessage } from '@/lib/user-message';
import { createBrowseStore, fromLocation, selectedSources } from './browse-store';
import { ArchivePanel } from './components/ArchivePanel';
import { Breadcrumbs } from './components/Breadcrumbs';
import { FileList } from './components/FileList';
import { JobStatus } from './components/JobStatus';
import { ServerPicker } from './components/ServerPicker';
import { coverage } from './selection';
import { sortEntries } from './sorting';

export function App() {
  const store = useMemo(() => createBrowseStore(), []);
  const [state, setState] = useState(store.get());
  useEffect(() => {
    const unsubscribe = store.subscribe(setState);
    void store.init();
    const onPop = () => {
      const at = fromLocation();
      store.locate(at.serverId, at.path);
    };
    addEventListener('popstate', onPop);
    return () => {
      unsubscribe();
      removeEventListener('popstate', onPop);
    };
  }, [store]);

  const { servers, serverId, path, listing, error, selected } = state;
  const entries = useMemo(() => sortEntries(listing?.entries ?? [], state.order), [listing, state.order]);
  const paths = useMemo(() => entries.map((entry) => entry.path), [entries]);
  const server = servers?.find((each) => each.id === serverId);

  return (
    <main>
      <header class="top">
        <h1>{t('browseTitle', 'Browse and archive')}</h1>
        {servers && (
          <ServerPicker
            servers={servers}
            serverId={serverId}
            busy={state.busy}
            onPick={store.pickServer}
            onProvision={(id) => void store.provision(id)}
          />
        )}
      </header>
      {error !== undefined && (
        <div class="error" role="alert" data-testid="error" data-code={errorCodeOf(error)}>
          <span>{toUserMessage(error)}</span>
          {serverId && (
            <button type="button" onClick={store.reload}>
              {t('browseRetry', 'Try again')}
            </button>
          )}
        </div>
      )}
      {server && (
        <div class="layout">
          <section class="browser" aria-busy={state.loading} aria-label={t('browseFolder', 'Folder contents')}>
            <div class="bar">
              <Breadcrumbs path={path} rootLabel={server.label} onOpen={store.open} />
              <button type="button" data-testid="refresh" onClick={store.reload}>
                {t('browseRefresh', 'Refresh')}
              </button>
            </div>
            {state.loading && !listing && <p class="note">{t('browseLoading', 'Loading…')}</p>}
            {listing && (
              <FileList
                key={`${serverId}:${listing.path}`}
                entries={entries}
                selected={selected}
                coverage={coverage(selected, paths)}
                order={state.order}
                onSort={store.sortBy}
                onToggle={(index, shift) => store.toggle(paths, index, shift)}
                onToggleAll={() => store.toggleAll(paths)}
                onOpen={(entry) => store.open(entry.path)}
              />
            )}
          </section>
          <aside class="side">
            <ArchivePanel
              serverId={server.id}
              rootLabel={server.label}
              count={selected.size}
              sources={selectedSources(state)}
              blocked={state.preview.blocked}
              onPreview={store.previewed}
              form={state.form}
              readOnly={Boolean(server.dav?.readOnly)}
              busy={state.busy}
              onChange={store.changeForm}
              onStart={() => void store.start()}
            />
            {state.jobId && <JobStatus key={state.jobId} jobId={state.jobId} onFinished={store.finished} />}
          </aside>
        </div>
      )}
    </main>
  );
}
