/** Defaults for new archives: where they are made, how they are compressed, their name, notifications, unreadable files. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging/protocol';
import type { Settings } from '@/lib/settings';
import { useAction } from '../use-action';
import { ActionError } from './ActionError';

const MODES: [Settings['mode'], string, string][] = [
  ['auto', 'optModeAuto', 'Auto: on the server when it can, else in the browser'],
  ['server', 'optModeServer', 'Always on the server'],
  ['browser', 'optModeBrowser', 'Always in the browser'],
];

/** The on/off settings: key, test id, message key and English text. */
const TOGGLES: ['notifications' | 'stopOnUnreadable', string, string, string][] = [
  ['notifications', 'notifications', 'optNotifications', 'Show a notification when an archive is ready or fails'],
  [
    'stopOnUnreadable',
    'stop-on-unreadable',
    'optStopOnUnreadable',
    "Stop on the first file that can't be read (otherwise it is skipped and listed)",
  ],
];

export function SettingsForm() {
  const [settings, setSettings] = useState<Settings>();
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => void action.run(async () => setSettings(await sendMessage('getSettings'))), []);
  if (!settings) return null;

  const change = (patch: Partial<Settings>) => {
    setSaved(false);
    setSettings({ ...settings, ...patch });
  };
  const compress = (patch: Partial<Settings['compression']>) =>
    change({ compression: { ...settings.compression, ...patch } });
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      setSettings(await sendMessage('saveSettings', settings));
      setSaved(true);
    });
  };

  return (
    <form class="card stack" onSubmit={save} aria-labelledby="defaults-title" data-testid="settings-form">
      <h2 id="defaults-title">{t('optDefaultsTitle', 'Defaults')}</h2>
      <fieldset>
        <legend>{t('optMode', 'Where archives are made')}</legend>
        {MODES.map(([mode, key, english]) => (
          <label class="choice" key={mode}>
            <input
              type="radio"
              name="mode"
              value={mode}
              checked={settings.mode === mode}
              onChange={() => change({ mode })}
              data-testid={`mode-${mode}`}
            />
            {t(key, english)}
          </label>
        ))}
      </fieldset>
      <div class="row">
        <label>
          <span class="label">{t('optCompression', 'Compression')}</span>
          <select
            value={settings.compression.mode}
            onChange={(e) => compress({ mode: e.currentTarget.value as Settings['compression']['mode'] })}
            data-testid="compression-mode"
          >
            <option value="auto">{t('optCompressionAuto', 'Auto (store files that are already compressed)')}</option>
            <option value="store">{t('optCompressionStore', 'Store only (fastest)')}</option>
            <option value="deflate">{t('optCompressionDeflate', 'Deflate')}</option>
          </select>
        </label>
        {settings.compression.mode !== 'store' && (
          <label>
            <span class="label">{t('optLevel', 'Level (1–9)')}</span>
            <input
              type="number"
              min={1}
              max={9}
              value={settings.compression.level}
              onInput={(e) => compress({ level: Math.min(9, Math.max(1, Number(e.currentTarget.value) || 6)) })}
              data-testid="compression-level"
            />
            {/* CompressionStream offers zlib's default level only (lib/zip/deflate.ts); BENCHMARKS.md §1. */}
            <span class="hint" data-testid="compression-level-hint">
              {t(
                'optLevelHint',
                "Level 6 uses the browser's built-in compressor, the fastest for in-browser archives.",
              )}
            </span>
          </label>
        )}
      </div>
      <label>
        <span class="label">{t('optNameTemplate', 'Name for an archive of several items')}</span>
        <input
          required
          value={settings.nameTemplate}
          onInput={(e) => change({ nameTemplate: e.currentTarget.value })}
          data-testid="name-template"
        />
        <span class="hint">
          {t('optNameTemplateHint', '{date} and {time} are replaced, e.g. archive-{date}-{time}.zip')}
        </span>
      </label>
      {TOGGLES.map(([key, testId, message, english]) => (
        <label class="choice" key={key}>
          <input
            type="checkbox"
            checked={settings[key]}
            onChange={(e) => change({ [key]: e.currentTarget.checked })}
            data-testid={testId}
          />
          {t(message, english)}
        </label>
      ))}
      <div class="row">
        <button type="submit" class="primary" disabled={action.busy} data-testid="settings-save">
          {t('optSave', 'Save')}
        </button>
        {saved && (
          <span class="message ok" role="status" data-testid="settings-saved">
            {t('optSaved', 'Saved')}
          </span>
        )}
      </div>
      <ActionError error={action.error} />
    </form>
  );
}
