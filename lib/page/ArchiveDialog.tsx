/**
 * The Archive dialog on the Cloudreve page: name, destination folder, where
 * to build the zip, and what is selected. Text from the server or the user is
 * only ever rendered as JSX text, never as HTML.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import type { PageContext } from '../messaging/protocol';
import type { ArchiveMode, SplitSize } from '../jobs/types';
import type { ArchiveRequest, ArchiveStarted } from '../messaging/payloads';
import { defaultArchiveName } from '../settings';
import { toUserMessage } from '../user-message';
import { folderToText, textToFolder } from './folder-field';
import type { Selection } from './selection';
import { describeStarted, summarize } from './dialog-text';
import { SplitField } from './SplitField';
import { onlyTrusted } from './trusted';

export type PageArchiveRequest = Omit<ArchiveRequest, 'serverId'>;

export interface ArchiveDialogProps {
  selection: Selection;
  /** The first selected items' names as the server answered them (never the page's display text). */
  names: string[];
  context: PageContext;
  dark: boolean;
  start(request: PageArchiveRequest): Promise<ArchiveStarted>;
  onClose(): void;
}

type Phase = { kind: 'edit'; error?: string } | { kind: 'starting' } | { kind: 'done'; text: string };

const FOCUSABLE = 'input:not([disabled]), select:not([disabled]), button:not([disabled])';

export function ArchiveDialog({ selection, names, context, dark, start, onClose }: ArchiveDialogProps) {
  const serverAllowed = context.server.permissions?.archiveTask !== false;
  const initialMode = context.settings.mode === 'server' && !serverAllowed ? 'auto' : context.settings.mode;
  const [name, setName] = useState(() => defaultArchiveName(names, context.settings.nameTemplate));
  const [folder, setFolder] = useState(() => folderToText(selection.folder));
  const [mode, setMode] = useState<ArchiveMode>(initialMode);
  const [split, setSplit] = useState<SplitSize | undefined>();
  const [phase, setPhase] = useState<Phase>({ kind: 'edit' });
  const dialog = useRef<HTMLDivElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const input = nameInput.current;
    input?.focus();
    // Select the base name so typing replaces it and keeps ".zip".
    input?.setSelectionRange(0, Math.max(0, input.value.toLowerCase().lastIndexOf('.zip')) || input.value.length);
  }, []);
  useEffect(() => {
    if (phase.kind === 'done') closeButton.current?.focus();
  }, [phase.kind]);

  async function submit() {
    if (phase.kind !== 'edit') return;
    const trimmed = name.trim();
    const request: PageArchiveRequest = {
      sources: selection.uris,
      name: trimmed.toLowerCase().endsWith('.zip') ? trimmed : `${trimmed}.zip`,
      destination: { kind: 'cloudreve', folderUri: '' },
      mode,
      ...(split !== undefined && { split }),
    };
    try {
      // Unchanged text keeps the page's own URI byte for byte.
      request.destination = {
        kind: 'cloudreve',
        folderUri: folder === folderToText(selection.folder) ? selection.folder : textToFolder(folder),
      };
      setPhase({ kind: 'starting' });
      setPhase({ kind: 'done', text: describeStarted(await start(request)) });
    } catch (error) {
      setPhase({ kind: 'edit', error: toUserMessage(error) });
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    // Only the user's keys act (lib/page/trusted.ts); the root is closed, this is a second lock.
    if (!event.isTrusted) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      if (phase.kind === 'done') onClose();
      else void submit();
    } else if (event.key === 'Tab') {
      // Focus stays in the dialog (WAI-ARIA modal dialog pattern).
      const items = [...(dialog.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
      const active = (dialog.current?.getRootNode() as ShadowRoot | undefined)?.activeElement;
      const at = items.indexOf(active as HTMLElement);
      const next = event.shiftKey ? (at <= 0 ? items.length - 1 : at - 1) : at === items.length - 1 ? 0 : at + 1;
      event.preventDefault();
      items[next]?.focus();
    }
  }

  const busy = phase.kind !== 'edit';
  const modes: [ArchiveMode, string][] = [
    ['auto', t('modeAuto', 'Auto: on the server, else in the browser')],
    ['server', t('modeServer', 'On the server')],
    ['browser', t('modeBrowser', 'In the browser')],
  ];
  return (
    <div class={dark ? 'theme dark scrim' : 'theme scrim'} onKeyDown={onKeyDown}>
      <div
        ref={dialog}
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="cra-title"
        aria-describedby="cra-summary"
        data-testid="cra-dialog"
      >
        <h2 id="cra-title">{t('dialogTitle', 'Create a zip archive')}</h2>
        <p id="cra-summary" class="summary" data-testid="cra-summary">
          {summarize(names, selection.uris.length)}
        </p>
        <form
          // Start and Enter act through trusted click and key events only; a submit event is
          // trusted even when a script asked for it (`requestSubmit()`), so it never starts a job.
          onSubmit={(event) => event.preventDefault()}
        >
          <label class="field">
            <span>{t('dialogName', 'Archive name')}</span>
            <input
              ref={nameInput}
              type="text"
              data-testid="cra-name"
              value={name}
              disabled={busy}
              onInput={(event) => setName(event.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>{t('dialogDestination', 'Save in folder')}</span>
            <input
              type="text"
              data-testid="cra-folder"
              value={folder}
              disabled={busy}
              spellcheck={false}
              onInput={(event) => setFolder(event.currentTarget.value)}
            />
          </label>
          <SplitField disabled={busy} onChange={setSplit} />
          <fieldset disabled={busy}>
            <legend>{t('dialogMode', 'Where to build the zip')}</legend>
            {modes.map(([value, label]) => {
              const disabled = value === 'server' && !serverAllowed;
              return (
                <div key={value}>
                  <label class={disabled ? 'mode disabled' : 'mode'}>
                    <input
                      type="radio"
                      name="mode"
                      value={value}
                      data-testid={`cra-mode-${value}`}
                      checked={mode === value}
                      disabled={disabled}
                      aria-describedby={disabled ? 'cra-server-hint' : undefined}
                      onChange={() => setMode(value)}
                    />
                    {label}
                  </label>
                  {disabled && (
                    <p id="cra-server-hint" class="hint">
                      {t('modeServerUnavailable', 'Your user group may not create archives on the server.')}
                    </p>
                  )}
                </div>
              );
            })}
          </fieldset>
          {phase.kind === 'edit' && phase.error && (
            <p class="error" role="alert" data-testid="cra-error">
              {phase.error}
            </p>
          )}
          {phase.kind === 'done' && (
            <p class="result" role="status" data-testid="cra-result">
              {phase.text}
            </p>
          )}
          <div class="actions">
            {phase.kind === 'done' ? (
              <button
                ref={closeButton}
                type="button"
                class="primary"
                data-testid="cra-close"
                onClick={onlyTrusted(onClose)}
              >
                {t('dialogClose', 'Close')}
              </button>
            ) : (
              <>
                <button type="button" data-testid="cra-cancel" onClick={onlyTrusted(onClose)}>
                  {t('dialogCancel', 'Cancel')}
                </button>
                <button
                  type="button"
                  class="primary"
                  data-testid="cra-start"
                  disabled={busy || !name.trim()}
                  onClick={onlyTrusted(() => void submit())}
                >
                  {phase.kind === 'starting' ? t('dialogStarting', 'Starting…') : t('dialogStart', 'Start')}
                </button>
              </>
            )}
          </div>
        </form>
      </div>
    </div>
  );
}
