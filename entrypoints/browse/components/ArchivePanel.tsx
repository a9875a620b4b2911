/**
 * The archive form: name, where to store it (a folder on the same server, or
 * this computer through the browser's downloads), Start. A read-only account
 * can still save to this computer.
 */
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging/protocol';
import { FolderPicker } from '@/lib/page/FolderPicker';
import { selectionKey } from '../browse-store';
import { SelectionPreview, type PreviewOutcome } from './SelectionPreview';

const joined = (segments: string[]) => segments.join('/');

/** The picker over the server's WebDAV account, through the worker (this page never sees the password). */
function DavFolderPicker(props: {
  serverId: string;
  rootLabel: string;
  folder: string;
  disabled: boolean;
  onChange(folder: string): void;
}) {
  return (
    <FolderPicker
      rootLabel={props.rootLabel}
      path={props.folder.split('/').filter(Boolean)}
      onChange={(segments) => props.onChange(joined(segments))}
      disabled={props.disabled}
      list={async (segments) =>
        (await sendMessage('davList', props.serverId, joined(segments))).entries
          .filter((entry) => entry.isCollection)
          .map((entry) => entry.name)
      }
      create={async (segments, name) =>
        (await sendMessage('davCreateFolder', props.serverId, joined(segments), name)).name
      }
    />
  );
}

export interface ArchiveForm {
  name: string;
  folder: string;
  target: 'server' | 'download';
}

export function ArchivePanel(props: {
  serverId: string;
  /** The name of the account's root folder in the picker (the server's label). */
  rootLabel: string;
  count: number;
  /** The selected paths, as the preview walks them and Start names them. */
  sources: string[];
  /** A check of the preview fails: Start stays off (the preview says why). */
  blocked: boolean;
  onPreview(key: string, outcome: PreviewOutcome): void;
  form: ArchiveForm;
  readOnly: boolean;
  busy: boolean;
  onChange(form: ArchiveForm): void;
  onStart(): void;
}) {
  const { form } = props;
  const toServer = form.target === 'server';
  const canStart =
    props.count > 0 && form.name.trim() !== '' && !(props.readOnly && toServer) && !props.busy && !props.blocked;
  const key = selectionKey(props.serverId, props.sources);
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
        <label class={`choice${props.readOnly ? ' disabled' : ''}`}>
          <input
            type="radio"
            name="destination"
            data-testid="dest-server"
            checked={toServer}
            disabled={props.readOnly}
            onChange={() => props.onChange({ ...form, target: 'server' })}
          />
          <span>{t('browseSaveServer', 'This server, in the folder')}</span>
        </label>
        <div
          class="folder"
          data-testid="dest-folder"
          aria-label={t('browseDestFolder', 'Destination folder on the server')}
          role="group"
        >
          <DavFolderPicker
            serverId={props.serverId}
            rootLabel={props.rootLabel}
            folder={form.folder}
            disabled={!toServer || props.busy}
            onChange={(folder) => props.onChange({ ...form, folder })}
          />
        </div>
        <label class="choice">
          <input
            type="radio"
            name="destination"
            data-testid="dest-download"
            checked={!toServer}
            onChange={() => props.onChange({ ...form, target: 'download' })}
          />
          <span>{t('browseSaveDownload', 'This computer')}</span>
        </label>
      </fieldset>
      {props.readOnly && (
        <p class="warning" role="alert" data-testid="read-only">
          {t(
            'browseReadOnly',
            'This WebDAV account can only read: archives cannot be stored on the server with it. Save to this computer instead.',
          )}
        </p>
      )}
      {props.sources.length > 0 && (
        <SelectionPreview
          key={key}
          serverId={props.serverId}
          sources={props.sources}
          folder={toServer ? form.folder : ''}
          onOutcome={(outcome) => props.onPreview(key, outcome)}
        />
      )}
      <button type="submit" class="primary" data-testid="start" disabled={!canStart}>
        {t('browseStart', 'Create archive')}
      </button>
    </form>
  );
}
