/** Sentences the Archive dialog shows, through i18n and the one error-text place. */
import { t } from '../i18n';
import type { ArchiveStarted } from '../messaging/payloads';
import { toUserMessage } from '../user-message';
import { showHidden } from '../visible-text';

/** How many names the dialog shows; the worker looks up just these on the server. */
export const SHOWN_NAMES = 3;

/**
 * "2 items: a b.txt, 中文.md" / "5 items: a, b, c and 2 more", for `count`
 * items whose first names are `names`; hidden characters are shown.
 */
export function summarize(names: string[], count = names.length): string {
  const shown = names.slice(0, SHOWN_NAMES).map(showHidden).join(', ');
  const rest = count - SHOWN_NAMES;
  if (count === 1) return t('dialogSummaryOne', '1 item: $1', [shown]);
  return rest > 0
    ? t('dialogSummaryMore', '$1 items: $2 and $3 more', [count, shown, rest])
    : t('dialogSummary', '$1 items: $2', [count, shown]);
}

/** "The whole folder “big”, every file in it (not only those the page has loaded)". */
export function summarizeFolder(name: string): string {
  return t('dialogSummaryFolder', 'The whole folder “$1”, every file in it (not only those the page has loaded)', [
    showHidden(name),
  ]);
}

/** "The whole share “Holiday”, every file in it". */
export function summarizeShare(name: string): string {
  return t('dialogSummaryShare', 'The whole share “$1”, every file in it', [showHidden(name)]);
}

/** What happened after Start: a server task, or the in-browser engine and why (or where it is saved). */
export function describeStarted(started: ArchiveStarted, savedHere = false): string {
  if (savedHere) {
    return t(
      'resultDownload',
      'Archiving in the browser; the zip will be saved to this computer. Follow it in the extension’s popup.',
    );
  }
  if (started.kind === 'server') {
    return t('resultServer', 'Archive task created on the server. Follow it in the extension’s popup.');
  }
  if (started.fallbackReason) {
    // Auto falls back when the server refused the task (40007) or could not do it at all (a split archive,
    // lib/service/archive.ts): the code says which, so a fact is not worded as a refusal.
    const reason = toUserMessage({ code: started.fallbackCode ?? 'cloudreve', message: started.fallbackReason });
    return t('resultBrowserReason', 'Archiving in the browser (reason: $1). Follow it in the extension’s popup.', [
      reason,
    ]);
  }
  return t('resultBrowser', 'Archiving in the browser. Follow it in the extension’s popup.');
}
