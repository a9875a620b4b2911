import { browser } from '#imports';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { originPattern } from '@/lib/servers/host-pattern';
import { sendMessage } from '@/lib/messaging/protocol';
import { OPEN_ARCHIVE_DIALOG, type OpenArchiveDialogMessage } from '@/lib/messaging/tab-messages';
import { toUserMessage } from '@/lib/user-message';
import { TaskRow, type RowActions } from './components/TaskRow';
import { VirtualList } from './components/VirtualList';
import { hasRowEnded, rowsOf } from './jobs-store';
import { describeRow, type RowModel } from './row-model';
import { useActiveServer } from './use-active-server';
import { useJobs } from './use-jobs';

/** Row height in px; a row with an error gets room for two lines of it. */
const rowHeight = (model: RowModel) => (model.error || model.actions.allowStorage ? 156 : 122);
const LIST_HEIGHT = 444;

export function App() {
  const [state, store] = useJobs();
  const [problem, setProblem] = useState<string>();
  const [loadingMore, setLoadingMore] = useState(false);
  const rows = useMemo(() => rowsOf(state), [state]);
  const models = useMemo(() => rows.map((row) => describeRow(row, state.servers)), [rows, state.servers]);
  const activeServer = useActiveServer(state.servers);

  useEffect(() => {
    document.documentElement.lang = browser.i18n.getUILanguage();
  }, []);

  const run = (action: () => Promise<unknown>) => {
    setProblem(undefined);
    action().catch((error: unknown) => setProblem(toUserMessage(error)));
  };
  const actions: RowActions = {
    cancel: (jobId) => run(() => sendMessage('cancelJob', jobId)),
    retry: (jobId) => run(() => sendMessage('retryJob', jobId)),
    runInBrowser: (jobId) => run(() => sendMessage('runInBrowser', jobId)),
    open: (url) => run(() => browser.tabs.create({ url })),
    download: (target) => run(() => sendMessage('downloadResult', target)),
    // Exactly the storage origin, never broad access; the worker's job goes on once granted.
    allowStorage: (origin) => run(() => browser.permissions.request({ origins: [originPattern(origin)] })),
  };
  const openOptions = () => run(() => browser.runtime.openOptionsPage());

  const cloudreve = state.servers.filter((server) => server.kind === 'cloudreve');
  const signedOut = cloudreve.filter((server) => server.authState === 'sign-in-required');
  const anyFinished = rows.some((row) => row.kind === 'job' && hasRowEnded(row));

  return (
    <main data-testid="popup" class="popup">
      <header class="bar-top">
        <h1>{t('popupTitle', 'Archive tasks')}</h1>
        {activeServer && (
          <button
            type="button"
            class="primary"
            data-testid="archive-selection"
            onClick={() =>
              run(() =>
                browser.tabs
                  .sendMessage(activeServer.tabId, { type: OPEN_ARCHIVE_DIALOG } satisfies OpenArchiveDialogMessage)
                  .then(() => window.close()),
              )
            }
          >
            {t('archiveSelection', 'Archive selection')}
          </button>
        )}
        <button
          type="button"
          class="icon"
          onClick={openOptions}
          aria-label={t('openOptions', 'Settings and servers')}
          title={t('openOptions', 'Settings and servers')}
          data-testid="open-options"
        >
          ⚙
        </button>
      </header>

      {problem && (
        <p class="banner error" role="alert" data-testid="popup-error">
          {problem}
        </p>
      )}
      {signedOut.map((server) => (
        <p class="banner warn" key={server.id} data-testid="signed-out">
          <span>
            {t('popupSignedOut', 'Signed out of $1. Sign in to see and start its archive tasks.', [server.label])}
          </span>
          <button type="button" onClick={openOptions} data-testid="sign-in">
            {t('actionSignIn', 'Sign in')}
          </button>
        </p>
      ))}
      {state.feedErrors
        .filter((entry) => !signedOut.some((server) => server.id === entry.serverId))
        .map((entry) => (
          <p class="banner warn" key={entry.serverId} data-testid="feed-error">
            {toUserMessage(entry.error)}
          </p>
        ))}

      {!state.loaded ? (
        <p class="empty" aria-busy="true">
          {t('loadingText', 'Loading…')}
        </p>
      ) : state.servers.length === 0 ? (
        <section class="empty" data-testid="no-server">
          <p>{t('popupNoServer', 'Connect your Cloudreve or WebDAV server to start archiving.')}</p>
          <button type="button" class="primary" onClick={openOptions} data-testid="connect-server">
            {t('actionConnectServer', 'Connect a server')}
          </button>
        </section>
      ) : rows.length === 0 ? (
        <section class="empty" data-testid="empty-state">
          <p>{t('popupEmpty', 'No archive tasks yet.')}</p>
          <p class="muted">
            {t('popupEmptyHint', 'Select files on your Cloudreve page and choose "Archive selection".')}
          </p>
        </section>
      ) : (
        <VirtualList
          items={models}
          rowHeight={rowHeight}
          maxHeight={LIST_HEIGHT}
          keyOf={(model) => model.key}
          label={t('popupTitle', 'Archive tasks')}
          render={(model) => <TaskRow model={model} actions={actions} />}
        />
      )}

      {(anyFinished || state.more.length > 0) && (
        <footer class="bar-bottom">
          {state.more.length > 0 && (
            <button
              type="button"
              disabled={loadingMore}
              data-testid="load-more"
              onClick={() => {
                setLoadingMore(true);
                run(() => sendMessage('loadMoreTasks').finally(() => setLoadingMore(false)));
              }}
            >
              {t('loadMore', 'Load more')}
            </button>
          )}
          {anyFinished && (
            <button
              type="button"
              data-testid="clear-finished"
              onClick={() => run(() => sendMessage('clearFinished').then(() => store.dropFinished()))}
            >
              {t('clearFinished', 'Clear finished')}
            </button>
          )}
        </footer>
      )}
    </main>
  );
}
