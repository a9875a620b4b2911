/**
 * The archive form: name, where to store it, Start. "Save to this computer"
 * stays disabled while the worker has no download destination (lib/service/job-parts.ts).
 */
import { t } from '@/lib/i18n';

export interface ArchiveForm {
  name: string;
  folder: string;
}

export function ArchivePanel(props: {
  count: number;
  form: ArchiveForm;
  readOnly: boolean;
  busy: boolean;
  onChange(form: ArchiveForm): void;
  onStart(): void;
}) {
  const { form } = props;
  const canStart = props.count > 0 && form.name.trim() !== '' && !props.readOnly && !props.busy;
  return (
    <form
      class="archive"
      aria-label={t('browseArchiveForm', 'Create an archive')}
      data-testid="archive-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (canStart) props.onStart();
      }}
    >
      <p class="count" data-testid="selected-count" aria-live="polite">
        {t('browseSelectedCount', '$1 selected', [props.count])}
      </p>
      <label>
        <span>{t('browseArchiveName', 'Archive name')}</span>
        <input
          data-testid="archive-name"
          value={form.name}
          onInput={(event) => props.onChange({ ...form, name: (event.target as HTMLInputElement).value })}
        />
      </label>
      <fieldset>
        <legend>{t('browseSaveTo', 'Save to')}</legend>
        <label class="choice">
          <input type="radio" name="destination" checked data-testid="dest-server" />
          <span>{t('browseSaveServer', 'This server, in the folder')}</span>
        </label>
        <input
          class="folder"
          data-testid="dest-folder"
          aria-label={t('browseDestFolder', 'Destination folder on the server')}
          value={`/${form.folder}`}
          onInput={(event) =>
            props.onChange({ ...form, folder: (event.target as HTMLInputElement).value.replace(/^\/+/, '') })
          }
        />
        <label class="choice disabled">
          <input type="radio" name="destination" disabled data-testid="dest-download" />
          <span>{t('browseSaveDownload', 'This computer')}</span>
        </label>
        <p class="note" data-testid="download-note">
          {t('browseDownloadNote', 'Saving to this computer is not available in this version yet.')}
        </p>
      </fieldset>
      {props.readOnly && (
        <p class="warning" role="alert" data-testid="read-only">
          {t('browseReadOnly', 'This WebDAV account can only read: archives cannot be stored with it.')}
        </p>
      )}
      <button type="submit" class="primary" data-testid="start" disabled={!canStart}>
        {t('browseStart', 'Create archive')}
      </button>
    </form>
  );
}
