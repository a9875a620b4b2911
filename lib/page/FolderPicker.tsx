/**
 * The destination as a folder picker instead of a typed address: breadcrumbs
 * of the chosen folder, the folders inside it, and "New folder". Shared by the
 * Cloudreve page's dialog and the browse page (WebDAV); each hands in how to
 * list and create through the worker, so this view never holds a credential.
 * Folder names are only rendered as JSX text.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { toUserMessage } from '../user-message';
import { showHidden } from '../visible-text';
import { onlyTrusted } from './trusted';

export interface FolderPickerProps {
  /** The root's name ("My files", the server's label). */
  rootLabel: string;
  /** The chosen folder, as names under the root. */
  path: string[];
  onChange(path: string[]): void;
  /** Names of the folders inside `path`. */
  list(path: string[]): Promise<string[]>;
  /** Creates folder `name` inside `path` and answers its name; an existing name rejects (`folder-exists`). */
  create(path: string[], name: string): Promise<string>;
  disabled?: boolean;
}

type Listing = { kind: 'loading' } | { kind: 'ready'; names: string[] } | { kind: 'failed'; error: unknown };

export function FolderPicker({ rootLabel, path, onChange, list, create, disabled }: FolderPickerProps) {
  const [listing, setListing] = useState<Listing>({ kind: 'loading' });
  const [newName, setNewName] = useState<string | undefined>();
  const [createError, setCreateError] = useState<unknown>();
  const [creating, setCreating] = useState(false);
  const key = JSON.stringify(path);

  useEffect(() => {
    let current = true;
    setListing({ kind: 'loading' });
    list(path).then(
      (names) => current && setListing({ kind: 'ready', names }),
      (error: unknown) => current && setListing({ kind: 'failed', error }),
    );
    return () => {
      current = false;
    };
    // The listing follows the chosen folder only (`key` stands for `path`).
  }, [key]);

  async function submitNew() {
    if (newName === undefined || !newName.trim() || creating) return;
    setCreating(true);
    setCreateError(undefined);
    try {
      const created = await create(path, newName);
      setNewName(undefined);
      onChange([...path, created]);
    } catch (error) {
      setCreateError(error);
    } finally {
      setCreating(false);
    }
  }

  const crumbs = [rootLabel, ...path.map(showHidden)];
  return (
    <div class="picker" data-testid="picker">
      <nav class="picker-crumbs" aria-label={t('pickerPath', 'Destination folder')}>
        {crumbs.map((label, i) =>
          i === crumbs.length - 1 ? (
            <span key={i} aria-current="location" data-testid="picker-current">
              {label}
            </span>
          ) : (
            <span key={i}>
              <button
                type="button"
                class="link"
                data-testid="picker-crumb"
                disabled={disabled}
                onClick={onlyTrusted(() => onChange(path.slice(0, i)))}
              >
                {label}
              </button>
              <span aria-hidden="true"> › </span>
            </span>
          ),
        )}
      </nav>
      <ul class="picker-list" aria-busy={listing.kind === 'loading'} data-testid="picker-list">
        {listing.kind === 'loading' && <li class="picker-note">{t('pickerLoading', 'Loading folders…')}</li>}
        {listing.kind === 'failed' && (
          <li class="picker-note error" role="alert" data-testid="picker-list-error">
            {toUserMessage(listing.error)}
          </li>
        )}
        {listing.kind === 'ready' && listing.names.length === 0 && (
          <li class="picker-note">{t('pickerNoFolders', 'No folders here.')}</li>
        )}
        {listing.kind === 'ready' &&
          listing.names.map((name) => (
            <li key={name}>
              <button
                type="button"
                class="picker-folder"
                data-testid="picker-folder"
                data-name={name}
                disabled={disabled}
                onClick={onlyTrusted(() => onChange([...path, name]))}
              >
                {showHidden(name)}
              </button>
            </li>
          ))}
      </ul>
      {newName === undefined ? (
        <button
          type="button"
          class="link"
          data-testid="picker-new"
          disabled={disabled}
          onClick={onlyTrusted(() => {
            setCreateError(undefined);
            setNewName('');
          })}
        >
          {t('pickerNewFolder', 'New folder')}
        </button>
      ) : (
        <div class="picker-new">
          <input
            type="text"
            data-testid="picker-new-name"
            aria-label={t('pickerNewFolderName', 'Name of the new folder')}
            value={newName}
            disabled={disabled || creating}
            onInput={(event) => setNewName(event.currentTarget.value)}
            onKeyDown={(event) => {
              // Enter here creates the folder, not the archive; Escape leaves the field only.
              if (!event.isTrusted) return;
              if (event.key === 'Enter') {
                event.preventDefault();
                event.stopPropagation();
                void submitNew();
              } else if (event.key === 'Escape') {
                event.preventDefault();
                event.stopPropagation();
                setNewName(undefined);
              }
            }}
          />
          <button
            type="button"
            data-testid="picker-create"
            disabled={disabled || creating || !newName.trim()}
            onClick={onlyTrusted(() => void submitNew())}
          >
            {t('pickerCreate', 'Create')}
          </button>
          <button type="button" disabled={creating} onClick={onlyTrusted(() => setNewName(undefined))}>
            {t('dialogCancel', 'Cancel')}
          </button>
        </div>
      )}
      {createError !== undefined && (
        <p class="error" role="alert" data-testid="picker-error">
          {toUserMessage(createError)}
        </p>
      )}
    </div>
  );
}
