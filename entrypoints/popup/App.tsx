import { browser } from '#imports';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { originPattern } from '@/lib/servers/host-pattern';
import { sendMessage } from '@/lib/messaging/protocol';
import { OPEN_ARCHIVE_DIALOG, type OpenArchiveDialogMessage } from '@/lib/messaging/tab-messages';
import { toUserMessage } from '@/lib/user-message';
import { TaskRow, type RowActions } from './components/TaskRow';
import { VirtualList } from './components/VirtualList';
import { hasRowEnded, isCurrentAccount, rowAccount, rowsOf, type Row } from './jobs-store';
import { describeOtherAccountRow, describeRow, type RowModel } from './row-model';
import { useActiveServer } from './use-active-server';
import { useJobs } from './use-jobs';

/**
 * Row height in px, estimated from the record before the row is described: a row with an error
 * (or a storage prompt) gets room for two lines of it. The list measures rows once rendered.
 */
function rowHeight(row: Row): number {
  const tall =
    row.kind === 'task'
      ? Boolean(row.task.error)
      : Boolean(row.job.error && row.job.phase !== 'cancelled') ||
        (row.job.kind === 'browser' && row.job.phase === 'uploading' && Boolean(row.job.awaitingAccess));
  return tall ? 156 : 122;
}
const keyOf = (row: Row) => row.key;
const LIST_HEIGHT = 444;

export function App() {
  const [state, store] = useJobs();
  const [problem, setProblem] = useState<string>();
  const [loadingMore, setLoadingMore] = useState(false);
  const rows = useMemo(() => rowsOf(state), [state]);
  // The current account's rows; other accounts' are kept apart, collapsed, without actions.
  const [mine, others] = useMemo(() => {
    const current: Row[] = [];
    const theirs: Row[] = [];
    for (const row of rows) (isCurrentAccount(row, state.servers) ? current : theirs).push(row);
    return [current, theirs];
  }, [rows, state.servers]);
  // Rows are described when the list renders them, not all up front: with hundreds of jobs and
  // tasks, describing every row held up the first frame (bench P6). A record that did not change
  // keeps its description across updates.
  const describe = useMemo(() => {
    const described = new WeakMap<object, RowModel>();
    return (row: Row): RowModel => {
      const record = row.kind === 'job' ? row.job : row.task;
      let model = described.get(record);
      if (!model) {
        model = isCurrentAccount(row, state.servers)
          ? describeRow(row, state.servers)
          : describeOtherAccountRow(row, state.servers, rowAccount(row));
        described.set(record, model);
      }
      return model;
    };
  }, [state.servers]);
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
      ) : mine.length === 0 ? (
        <section class="empty" data-testid="empty-state">
          <p>{t('popupEmpty', 'No archive tasks yet.')}</p>
          <p class="muted">
            {t('popupEmptyHint', 'Select files on your Cloudreve page and choose "Archive selection".')}
          </p>
        </section>
      ) : (
        <VirtualList
          items={mine}
          rowHeight={rowHeight}
          maxHeight={LIST_HEIGHT}
          keyOf={keyOf}
          label={t('popupTitle', 'Archive tasks')}
          render={(row) => <TaskRow model={describe(row)} actions={actions} />}
        />
      )}

      {others.length > 0 && (
        <details class="other-accounts" data-testid="other-accounts">
          <summary>{t('otherAccounts', 'Other accounts ($1)', [others.length])}</summary>
          <p class="muted">
            {t(
              'otherAccountsHint',
              'Tasks of accounts the extension is not signed in with. Sign in as that account to use them.',
            )}
          </p>
          <VirtualList
            items={others}
            rowHeight={rowHeight}
            maxHeight={LIST_HEIGHT / 2}
            keyOf={keyOf}
            label={t('otherAccounts', 'Other accounts ($1)', [others.length])}
            render={(row) => <TaskRow model={describe(row)} actions={actions} />}
          />
        </details>
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
