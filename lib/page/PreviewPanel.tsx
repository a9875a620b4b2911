/**
 * What Start will make, before it is pressed: counts and size of the
 * selection (live while the worker lists, with Cancel), the archive's size
 * range, how long it should take here, and the checks that would otherwise
 * fail late. A failing check is shown as an alert; the dialog keeps Start off.
 */
import { t } from '../i18n';
import type { CheckResult } from '../jobs/preflight';
import type { PartsPreview, PreviewStatus } from '../messaging/payloads';
import { toUserMessage } from '../user-message';
import type { LengthRange } from '../zip/length-range';
import { describeCheck, describeCounts, describeDuration, describeParts, describeSizeRange } from './preview-text';
import type { PreviewState } from './use-preview';
import { onlyTrusted } from './trusted';

export interface PreviewPanelProps {
  state: PreviewState;
  /** The archive's size range on the route that will run (when the listing is done). */
  range?: LengthRange;
  estimates?: { server?: number; browser?: number; showServer: boolean; showBrowser: boolean };
  checks: CheckResult[];
  /** How a split archive would be cut (only when split). */
  parts?: PartsPreview;
  onCancel(): void;
}

function Listing({ status, onCancel }: { status: PreviewStatus; onCancel(): void }) {
  return (
    <p class="preview-line" role="status" data-testid="cra-preview-progress">
      {t('previewListing', 'Listing… $1', [describeCounts(status)])}{' '}
      <button type="button" class="link" data-testid="cra-preview-cancel" onClick={onlyTrusted(onCancel)}>
        {t('previewStop', 'Stop listing')}
      </button>
    </p>
  );
}

export function PreviewPanel(props: PreviewPanelProps) {
  // A box of fixed height: lines that arrive later do not move the buttons below.
  return <div class="preview-box">{previewLines(props)}</div>;
}

function previewLines({ state, range, estimates, checks, parts, onCancel }: PreviewPanelProps) {
  if (state.kind === 'starting') return <p class="preview-line">{t('previewStarting', 'Looking at the selection…')}</p>;
  if (state.kind === 'failed') {
    return (
      <p class="preview-line hint" data-testid="cra-preview-failed">
        {t('previewFailed', 'No preview: $1', [toUserMessage(state.error)])}
      </p>
    );
  }
  const { status } = state;
  if (status.state === 'listing') return <Listing status={status} onCancel={onCancel} />;
  if (status.state !== 'done') {
    return (
      <p class="preview-line hint" data-testid="cra-preview-failed">
        {status.error
          ? t('previewFailed', 'No preview: $1', [toUserMessage(status.error)])
          : t('previewStopped', 'Listing stopped: the job will list the selection itself.')}
      </p>
    );
  }
  return (
    <div data-testid="cra-preview">
      <p
        class="preview-line"
        data-testid="cra-preview-counts"
        data-files={status.files}
        data-folders={status.folders}
        data-bytes={status.bytes}
      >
        {describeCounts(status)}
      </p>
      {range && (
        <p class="preview-line" data-testid="cra-preview-size" data-min={range.min} data-max={range.max}>
          {t('previewArchiveSize', 'Archive: $1', [describeSizeRange(range)])}
        </p>
      )}
      {parts && (
        <p
          class={parts.oversizedCount > 0 ? 'preview-line hint warn' : 'preview-line'}
          data-testid="cra-preview-parts"
          data-parts={parts.count}
          data-oversized={parts.oversizedCount}
        >
          {describeParts(parts)}
        </p>
      )}
      {estimates && (
        <p class="preview-line" data-testid="cra-preview-time">
          {estimates.showServer && t('previewTimeServer', 'On the server: $1', [describeDuration(estimates.server)])}
          {estimates.showServer && estimates.showBrowser && ' · '}
          {estimates.showBrowser &&
            t('previewTimeBrowser', 'In the browser: $1', [describeDuration(estimates.browser)])}
        </p>
      )}
      {checks.map((check) => (
        <p
          key={check.kind}
          class={check.verdict === 'fails' ? 'error' : 'hint warn'}
          role={check.verdict === 'fails' ? 'alert' : undefined}
          data-testid={`cra-check-${check.kind}`}
          data-verdict={check.verdict}
        >
          {describeCheck(check)}
        </p>
      ))}
    </div>
  );
}
