/** One archive task: what, where, how far, what went wrong, and what can be done. */
import { t } from '@/lib/i18n';
import type { RowModel } from '../row-model';

export interface RowActions {
  cancel(jobId: string): void;
  retry(jobId: string): void;
  runInBrowser(jobId: string): void;
  open(url: string): void;
  download(target: NonNullable<RowModel['actions']['download']>): void;
  /** Requests access to exactly this origin; must run inside the click (a user gesture). */
  allowStorage(origin: string): void;
}

function unreadableCount(count: number): string {
  return count === 1
    ? t('unreadableOne', '1 file could not be read')
    : t('unreadableMany', '$1 files could not be read', [count]);
}

export function TaskRow({ model, actions }: { model: RowModel; actions: RowActions }) {
  const { progress } = model;
  const percent = progress?.value === undefined ? undefined : Math.round(progress.value * 100);
  const history = model.errorHistory.join('\n');
  return (
    <article
      class={`task tone-${model.tone}`}
      data-testid="task-row"
      data-tone={model.tone}
      data-account={model.account}
      aria-label={model.title}
    >
      <header class="task-head">
        <span class="dot" aria-hidden="true" />
        <strong class="task-title" title={model.title} data-testid="task-name">
          {model.title}
        </strong>
        <time class="task-time">{model.created}</time>
      </header>
      <p class="task-meta">
        <span>
          {model.sources === 1 ? t('sourceCountOne', '1 item') : t('sourceCount', '$1 items', [model.sources])}
        </span>
        <span aria-hidden="true"> → </span>
        <span class="task-folder" title={model.folder} data-testid="task-folder">
          {model.folder}
        </span>
        <span aria-hidden="true"> · </span>
        <span data-testid="task-where">{model.where}</span>
      </p>
      <p class="task-status">
        <span class="status-text" data-testid="task-status">
          {model.status}
        </span>
        {model.skipped > 0 && model.unreadable.length === 0 && (
          <span class="chip" data-testid="task-skipped">
            {unreadableCount(model.skipped)}
          </span>
        )}
        {model.retryCount > 0 && (
          <span class="chip" title={history}>
            {t('retriedTimes', 'retried $1×', [model.retryCount])}
          </span>
        )}
        {model.speed && <span class="muted">{model.speed}</span>}
        {model.eta && <span class="muted">{model.eta}</span>}
      </p>
      {progress && (
        <div class="progress-line">
          <div
            class={`bar${percent === undefined ? ' indeterminate' : ''}`}
            role="progressbar"
            aria-label={t('progressLabel', 'Progress of $1', [model.title])}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={progress.label || undefined}
            data-testid="task-progress"
          >
            <span style={percent === undefined ? undefined : { width: `${percent}%` }} />
          </div>
          <span class="progress-label">
            {percent === undefined ? progress.label : `${percent}% · ${progress.label}`}
          </span>
        </div>
      )}
      {model.unreadable.length > 0 && (
        <details class="task-list" data-testid="task-unreadable">
          <summary>{unreadableCount(model.skipped)}</summary>
          <ul>
            {model.unreadable.map((item) => (
              <li key={item.path}>
                <code>{item.path}</code> — {item.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {model.renamed.length > 0 && (
        <details class="task-list" data-testid="task-renamed">
          <summary>
            {model.renamedCount === 1
              ? t('renamedOne', '1 name was changed for safety')
              : t('renamedMany', '$1 names were changed for safety', [model.renamedCount])}
          </summary>
          <ul>
            {model.renamed.map((entry) => (
              <li key={entry.name}>
                <code>{entry.path}</code> → <code>{entry.name}</code> — {entry.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {model.placeholdersLeft.map((notice) => (
        <p key={notice} class="task-notice" role="status" data-testid="task-placeholder-left">
          {notice}
        </p>
      ))}
      {model.error && (
        <p
          class="task-error"
          role="status"
          title={history ? `${model.error}\n${history}` : model.error}
          data-testid="task-error"
        >
          {model.error}
          {history && <span class="muted"> · {t('earlierErrors', 'earlier: $1', [model.errorHistory.at(-1)!])}</span>}
        </p>
      )}
      {model.actions.allowStorage && (
        <p class="task-error" role="status" data-testid="task-allow-storage">
          {t('jobAllowStorage', 'Allow uploads to $1', [new URL(model.actions.allowStorage).host])}{' '}
          <button
            type="button"
            class="primary"
            onClick={() => actions.allowStorage(model.actions.allowStorage!)}
            data-testid="action-allow-storage"
          >
            {t('jobAllowStorageButton', 'Allow')}
          </button>
        </p>
      )}
      <div class="task-actions">
        {model.actions.cancel && (
          <button type="button" onClick={() => actions.cancel(model.actions.cancel!)} data-testid="action-cancel">
            {t('actionCancel', 'Cancel')}
          </button>
        )}
        {model.actions.retry && (
          <button type="button" onClick={() => actions.retry(model.actions.retry!)} data-testid="action-retry">
            {t('actionRetry', 'Retry')}
          </button>
        )}
        {model.actions.runInBrowser && (
          <button
            type="button"
            class="primary"
            onClick={() => actions.runInBrowser(model.actions.runInBrowser!)}
            data-testid="action-run-in-browser"
          >
            {t('actionRunInBrowser', 'Run in the browser instead')}
          </button>
        )}
        {model.actions.download && (
          <button type="button" onClick={() => actions.download(model.actions.download!)} data-testid="action-download">
            {t('actionDownload', 'Download')}
          </button>
        )}
        {model.actions.openFolder && (
          <button
            type="button"
            onClick={() => actions.open(model.actions.openFolder!)}
            data-testid="action-open-folder"
          >
            {t('actionOpenFolder', 'Open folder')}
          </button>
        )}
      </div>
    </article>
  );
}
