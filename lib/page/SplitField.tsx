/**
 * The dialog's "split into parts" control: none, 4 GiB for FAT32 drives, the
 * destination's largest file (the storage policy's `max_size`), or a size typed
 * by the user. A split archive is always made in the browser, and the hint says why.
 */
import { useState } from 'preact/hooks';
import { FAT32_PART_BYTES, parsePartSize } from '../archive/part-plan';
import { t } from '../i18n';
import type { SplitSize } from '../jobs/types';

type Choice = 'none' | 'fat32' | 'max' | 'custom';

export interface SplitFieldProps {
  disabled: boolean;
  /** The zip is downloaded (a share's anonymous visitor): no folder, so no "as large as this folder accepts". */
  toThisComputer?: boolean;
  /** undefined: one archive; NaN: a custom size that is not one (the worker refuses it with its reason). */
  onChange(split: SplitSize | undefined): void;
}

export function SplitField({ disabled, toThisComputer = false, onChange }: SplitFieldProps) {
  const [choice, setChoice] = useState<Choice>('none');
  const [custom, setCustom] = useState('1G');
  const report = (next: Choice, text = custom) =>
    onChange(
      next === 'none'
        ? undefined
        : next === 'fat32'
          ? FAT32_PART_BYTES
          : next === 'max'
            ? 'destination-limit'
            : (parsePartSize(text) ?? Number.NaN),
    );
  return (
    <div class="field">
      <label class="field">
        <span>{t('splitLabel', 'Split into parts')}</span>
        <select
          data-testid="cra-split"
          value={choice}
          disabled={disabled}
          onChange={(event) => {
            const next = event.currentTarget.value as Choice;
            setChoice(next);
            report(next);
          }}
        >
          <option value="none">{t('splitNone', 'No: one zip')}</option>
          <option value="fat32">{t('splitFat32', 'Parts of 4 GiB (FAT32 drives)')}</option>
          {!toThisComputer && <option value="max">{t('splitMaxSize', 'Parts as large as this folder accepts')}</option>}
          <option value="custom">{t('splitCustom', 'Parts of a size I choose')}</option>
        </select>
      </label>
      {choice === 'custom' && (
        <input
          type="text"
          data-testid="cra-split-size"
          aria-label={t('splitSize', 'Part size, e.g. 4G or 700M')}
          value={custom}
          disabled={disabled}
          onInput={(event) => {
            setCustom(event.currentTarget.value);
            report('custom', event.currentTarget.value);
          }}
        />
      )}
      {choice !== 'none' && (
        <p class="hint" data-testid="cra-split-hint">
          {t(
            'splitHint',
            'Each part is a complete zip (name.part1.zip, …); a file larger than a part gets a part of its own. Split archives are made in the browser: the server’s archive task can only write one file.',
          )}
        </p>
      )}
    </div>
  );
}
