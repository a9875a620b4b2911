/** Sentences of the dialog's preview and checks before Start, through i18n. */
import { formatBytes, t } from '../i18n';
import type { CheckResult } from '../jobs/preflight';
import type { PartsPreview, PreviewStatus } from '../messaging/payloads';
import type { LengthRange } from '../zip/length-range';

/** "Files: 12 · folders: 3 · size: 4.5 MB" (so far, while listing). */
export function describeCounts(status: Pick<PreviewStatus, 'files' | 'folders' | 'bytes' | 'skipped'>): string {
  const text = t('previewCounts', 'Files: $1 · folders: $2 · size: $3', [
    status.files,
    status.folders,
    formatBytes(status.bytes),
  ]);
  return status.skipped > 0
    ? `${text} ${t('previewSkipped', '($1 cannot be read and will be left out)', [status.skipped])}`
    : text;
}

/** "exactly 4.5 MB" or "between 1.2 MB and 4.5 MB". */
export function describeSizeRange(range: LengthRange): string {
  if (range.min === range.max) return t('previewSizeExact', 'exactly $1', [formatBytes(range.min)]);
  return t('previewSizeRange', 'between $1 and $2', [formatBytes(range.min), formatBytes(range.max)]);
}

/** "about 40 s", "about 3 min", "about 2 h"; without a measured speed, "no estimate yet". */
export function describeDuration(ms: number | undefined): string {
  if (ms === undefined) return t('previewNoEstimate', 'no estimate yet');
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 90) return t('previewAboutSeconds', 'about $1 s', [seconds]);
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return t('previewAboutMinutes', 'about $1 min', [minutes]);
  return t('previewAboutHours', 'about $1 h', [Math.round(minutes / 6) / 10]);
}

/**
 * "In 3 parts." and, when files are larger than a part on their own, which: each gets a
 * part of its own (lib/archive/part-plan.ts), so that part is larger than the size chosen.
 */
export function describeParts(parts: PartsPreview): string {
  const count =
    parts.count === 1 ? t('previewPartsOne', 'In one part.') : t('previewParts', 'In $1 parts.', [parts.count]);
  if (parts.oversizedCount === 0) return count;
  const named = parts.oversized.map((file) => `${file.name} (${formatBytes(file.size)})`).join(', ');
  const more = parts.oversizedCount - parts.oversized.length;
  const list = more > 0 ? `${named} ${t('previewOversizedMore', 'and $1 more', [more])}` : named;
  return `${count} ${
    parts.oversizedCount === 1
      ? t('previewOversizedOne', 'Larger than a part, so in a part of its own: $1.', [list])
      : t('previewOversizedMany', 'Larger than a part, so each in a part of its own: $1.', [list])
  }`;
}

/** Why a check fails (or may fail) and what to do about it. */
export function describeCheck(check: CheckResult): string {
  const need = formatBytes(check.need);
  const have = formatBytes(check.have);
  const fails = check.verdict === 'fails';
  switch (check.kind) {
    case 'capacity':
      return fails
        ? t(
            'checkCapacityFails',
            'Not enough free space on the server: the archive needs at least $1, your account has $2 left. Free up space, archive fewer files, or save it to this computer.',
            [need, have],
          )
        : t('checkCapacityMay', 'The archive may not fit in your free space on the server: up to $1, $2 left.', [
            need,
            have,
          ]);
    case 'max-size':
      return fails
        ? t(
            'checkMaxSizeFails',
            'This folder’s storage takes files of at most $2, and the archive will be at least $1. Choose another folder, split the archive into parts, or save it to this computer.',
            [need, have],
          )
        : t('checkMaxSizeMay', 'The archive may exceed the $2 file limit of this folder’s storage (up to $1).', [
            need,
            have,
          ]);
    case 'browser-storage':
      return t(
        'checkBrowserStorageFails',
        'The browser has $2 free for building the archive and needs $1. Choose “On the server”, or free up disk space.',
        [need, have],
      );
  }
}
