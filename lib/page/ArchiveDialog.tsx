/**
 * The Archive dialog on the Cloudreve page: name, destination folder, where
 * to build the zip, and what is selected. Text from the server or the user is
 * only ever rendered as JSX text, never as HTML.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatUri, parseUri } from '../cloudreve/uri';
import { t } from '../i18n';
import { blocksStart, preflight } from '../jobs/preflight';
import { estimateMs } from '../jobs/speed-history';
import type { PageContext } from '../messaging/protocol';
import type { ArchiveMode, SplitSize } from '../jobs/types';
import type { ArchiveRequest, ArchiveStarted } from '../messaging/payloads';
import { defaultArchiveName } from '../settings';
import { toUserMessage } from '../user-message';
import { compressionOf, compressionValue, dialogDefaults, pageDestination } from './dialog-defaults';
import { FolderPicker } from './FolderPicker';
import { PreviewPanel } from './PreviewPanel';
import type { Selection } from './selection';
import { describeStarted, summarize, summarizeFolder, summarizeShare } from './dialog-text';
import { SplitField } from './SplitField';
import { onlyTrusted } from './trusted';
import { usePartsPreview, usePreflightFacts, usePreview, type Ask } from './use-preview';

export type PageArchiveRequest = Omit<ArchiveRequest, 'serverId'>;

export interface ArchiveDialogProps {
  selection: Selection;
  /** The first selected items' names as the server answered them (never the page's display text). */
  names: string[];
  context: PageContext;
  /**
   * Nobody is signed in on the page, which shows a share link: the share's files are read without
   * an account, the zip is made in the browser and saved to this computer (no drive, no server task).
   */
  anonymous?: boolean;
  dark: boolean;
  start(request: PageArchiveRequest): Promise<ArchiveStarted>;
  /** The worker, for the folder picker, the preview and the checks (page handlers of lib/messaging/protocol.ts). */
  ask: Ask;
  onClose(): void;
}

type Phase = { kind: 'edit'; error?: string } | { kind: 'starting' } | { kind: 'done'; text: string };

const FOCUSABLE = 'input:not([disabled]), select:not([disabled]), button:not([disabled])';

/** The folder URI for `segments` under the selection's own filesystem; the page's URI unchanged when they are its own. */
function folderUri(current: string, segments: string[]): string {
  const parsed = parseUri(current);
  const same = parsed.segments.length === segments.length && parsed.segments.every((name, i) => name === segments[i]);
  return same ? current : formatUri({ ...parsed, segments, query: undefined });
}

export function ArchiveDialog({ selection, names, context, anonymous, dark, start, ask, onClose }: ArchiveDialogProps) {
  const serverAllowed = !anonymous && context.server.permissions?.archiveTask !== false;
  // Last time's choices on this server, else the defaults (./dialog-defaults.ts).
  const [initial] = useState(() => dialogDefaults(context, selection.folder));
  const [name, setName] = useState(() => defaultArchiveName(names, context.settings.nameTemplate));
  // The picker starts in the remembered folder, else the page's (its URI unchanged while not moved).
  const base = initial.folderUri;
  const root = useMemo(() => parseUri(base), [base]);
  const [folderPath, setFolderPath] = useState(root.segments);
  const destination = folderUri(base, folderPath);
  const [mode, setMode] = useState<ArchiveMode>(anonymous ? 'browser' : initial.mode);
  const [compression, setCompression] = useState(initial.compression);
  const [split, setSplit] = useState<SplitSize | undefined>();
  const [phase, setPhase] = useState<Phase>({ kind: 'edit' });
  const preview = usePreview(ask, selection.uris);
  // An anonymous visitor has no folder of their own: the facts are this machine's (asked with the share's folder).
  const facts = usePreflightFacts(ask, anonymous ? selection.folder : destination);
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
      destination: anonymous ? { kind: 'download' } : { kind: 'cloudreve', folderUri: destination },
      mode: split !== undefined ? 'browser' : mode,
      compression,
      ...(split !== undefined && { split }),
    };
    // The job takes the preview's listing instead of walking the selection again.
    if (preview.readyId) request.previewId = preview.readyId;
    try {
      // Remembered for next time only when it is not simply the folder the page shows.
      request.destinationChosen = !anonymous && destination !== pageDestination(selection.folder);
      setPhase({ kind: 'starting' });
      setPhase({ kind: 'done', text: describeStarted(await start(request), anonymous) });
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

  // Auto builds on the server when the group may; the browser is its fallback.
  // Split archives are always made in the browser; each part stays under its size, so the
  // single-file limit applies to parts, not to the whole (left to the engine's own check).
  const inBrowser = mode === 'browser' || !serverAllowed || split !== undefined;
  // So the radios show the route a split takes (the user's own choice comes back when split is off).
  const shownMode: ArchiveMode = split !== undefined ? 'browser' : mode;
  const summary = selection.wholeShare
    ? summarizeShare(names[0] ?? '')
    : selection.wholeFolder
      ? summarizeFolder(names[0] ?? '')
      : summarize(names, selection.uris.length);
  const done =
    preview.state.kind === 'status' && preview.state.status.state === 'done' ? preview.state.status : undefined;
  const range = done?.sizes && (inBrowser ? done.sizes.auto : done.sizes.deflate);
  const checks =
    done && range && facts
      ? preflight({ archive: range, sourceBytes: done.bytes, facts, inBrowser }).filter(
          (check) => split === undefined || check.kind !== 'max-size',
        )
      : [];
  const blocked = blocksStart(checks);
  // The preview of the parts: a size typed that is not one (NaN) shows none; the destination's limit once known.
  const partBytes = split === 'destination-limit' ? facts?.maxFileSize : Number.isNaN(split) ? undefined : split;
  const parts = usePartsPreview(ask, preview.readyId, partBytes, compression);
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
          {summary}
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
          {anonymous ? (
            <div class="field save-here">
              <span>{t('dialogSaveTo', 'Save to')}</span>
              <p data-testid="cra-save-here">{t('dialogThisComputer', 'This computer (your downloads)')}</p>
              <p class="hint" data-testid="cra-anonymous-hint">
                {t(
                  'dialogAnonymousHint',
                  'You are not signed in on this server, so the zip is made in this browser from the shared files and downloaded. Sign in to save it to your own files or to have the server make it.',
                )}
              </p>
            </div>
          ) : (
            <div class="field">
              <span>{t('dialogDestination', 'Save in folder')}</span>
              <FolderPicker
                rootLabel={root.filesystem === 'my' ? t('pickerMyFiles', 'My files') : root.filesystem}
                path={folderPath}
                onChange={setFolderPath}
                disabled={busy}
                list={async (segments) =>
                  (await ask('listFolders', folderUri(base, segments))).folders.map((f) => f.name)
                }
                create={async (segments, folderName) =>
                  (await ask('createFolder', folderUri(base, segments), folderName)).name
                }
              />
            </div>
          )}
          <SplitField disabled={busy} toThisComputer={anonymous === true} onChange={setSplit} />
          {!anonymous && (
            <fieldset disabled={busy}>
              <legend>{t('dialogMode', 'Where to build the zip')}</legend>
              {modes.map(([value, label]) => {
                const notAllowed = value === 'server' && !serverAllowed;
                // A split archive has one route: the browser (the other radios wait until split is off).
                const disabled = notAllowed || (split !== undefined && value !== 'browser');
                return (
                  <div key={value}>
                    <label class={disabled ? 'mode disabled' : 'mode'}>
                      <input
                        type="radio"
                        name="mode"
                        value={value}
                        data-testid={`cra-mode-${value}`}
                        checked={shownMode === value}
                        disabled={disabled}
                        aria-describedby={notAllowed ? 'cra-server-hint' : undefined}
                        onChange={() => setMode(value)}
                      />
                      {label}
                    </label>
                    {notAllowed && (
                      <p id="cra-server-hint" class="hint">
                        {t('modeServerUnavailable', 'Your user group may not create archives on the server.')}
                      </p>
                    )}
                  </div>
                );
              })}
            </fieldset>
          )}
          <label class="field">
            <span>{t('dialogCompression', 'Compression')}</span>
            <select
              data-testid="cra-level"
              value={compressionValue(compression)}
              disabled={busy}
              onChange={(event) => setCompression(compressionOf(event.currentTarget.value, compression))}
            >
              <option value="store">{t('dialogStore', 'None (store only)')}</option>
              {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((level) => (
                <option key={level} value={String(level)}>
                  {level === 1
                    ? t('dialogLevelFastest', 'Level 1 (fastest)')
                    : level === 6
                      ? t('dialogLevelDefault', 'Level 6 (default)')
                      : level === 9
                        ? t('dialogLevelSmallest', 'Level 9 (smallest)')
                        : t('dialogLevel', 'Level $1', [level])}
                </option>
              ))}
            </select>
          </label>
          <PreviewPanel
            state={preview.state}
            range={range}
            estimates={
              done && facts
                ? {
                    server: estimateMs(done.bytes, facts.speeds.server),
                    browser: estimateMs(done.bytes, facts.speeds.browser),
                    showServer: serverAllowed && mode !== 'browser',
                    showBrowser: mode !== 'server',
                  }
                : undefined
            }
            checks={checks}
            parts={parts}
            onCancel={() => void preview.cancel()}
          />
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
                  disabled={busy || !name.trim() || blocked}
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
