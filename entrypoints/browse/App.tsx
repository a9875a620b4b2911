/**
 * The browse page (browse.html?server=<id>&path=<folder>): pick a WebDAV
 * server, walk its folders, select files and folders, and start an archive
 * stored next to them. Everything goes through the worker (davList,
 * startArchive), so this page never sees a password.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { SerializedError } from '@/lib/errors';
import { t } from '@/lib/i18n';
import type { Job } from '@/lib/jobs/types';
import { sendMessage } from '@/lib/messaging/protocol';
import type { ServerView } from '@/lib/servers/types';
import type { DavEntry, DavListing } from '@/lib/messaging/payloads';
import { DEFAULT_SETTINGS, defaultArchiveName } from '@/lib/settings';
import { toUserMessage } from '@/lib/user-message';
import { ArchivePanel, type ArchiveForm } from './components/ArchivePanel';
import { Breadcrumbs } from './components/Breadcrumbs';
import { FileList } from './components/FileList';
import { JobStatus } from './components/JobStatus';
import { browsable, ServerPicker } from './components/ServerPicker';
import { clickSelection, coverage } from './selection';
import { nextOrder, sortEntries, type SortOrder } from './sorting';

function fromLocation(): { serverId?: string; path: string } {
  const params = new URLSearchParams(location.search);
  return { serverId: params.get('server') ?? undefined, path: params.get('path') ?? '' };
}

function toLocation(serverId: string | undefined, path: string, push: boolean) {
  const params = new URLSearchParams();
  if (serverId) params.set('server', serverId);
  if (path) params.set('path', path);
  const url = `${location.pathname}?${params}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

const asError = (error: unknown): SerializedError =>
  error && typeof error === 'object' && 'code' in error
    ? (error as SerializedError)
    : { code: 'internal', message: String(error) };

export function App() {
  const initial = fromLocation();
  const [servers, setServers] = useState<ServerView[] | undefined>(undefined);
  const [serverId, setServerId] = useState(initial.serverId);
  const [path, setPath] = useState(initial.path);
  const [reloads, setReloads] = useState(0);
  // Kept with the folder it belongs to, so a folder never shows another folder's rows while it loads.
  const [loaded, setLoaded] = useState<{ key: string; listing: DavListing } | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<SerializedError | undefined>(undefined);
  const [order, setOrder] = useState<SortOrder>({ key: 'name', descending: false });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [anchor, setAnchor] = useState<number | undefined>(undefined);
  const [template, setTemplate] = useState(DEFAULT_SETTINGS.nameTemplate);
  const [form, setForm] = useState<ArchiveForm>({ name: '', folder: initial.path, target: 'server' });
  const [edited, setEdited] = useState({ name: false, folder: false });
  const [busy, setBusy] = useState(false);
  const [jobId, setJobId] = useState<string | undefined>(undefined);

  async function loadServers(pick?: string) {
    const list = await sendMessage('listServers');
    setServers(list);
    const usable = browsable(list);
    const wanted = pick ?? serverId;
    if (!usable.some((server) => server.id === wanted)) setServerId(usable.length === 1 ? usable[0]!.id : undefined);
    else setServerId(wanted);
  }

  useEffect(() => {
    loadServers().catch((e: unknown) => setError(asError(e)));
    sendMessage('getSettings')
      .then((settings) => setTemplate(settings.nameTemplate))
      .catch(() => undefined);
    const onPop = () => {
      const at = fromLocation();
      setServerId(at.serverId);
      setPath(at.path);
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    if (!serverId) return;
    const key = `${serverId}\n${path}`;
    let current = true;
    setLoading(true);
    setError(undefined);
    sendMessage('davList', serverId, path)
      .then((listing) => current && setLoaded({ key, listing }))
      .catch((e: unknown) => current && (setLoaded(undefined), setError(asError(e))))
      .finally(() => current && setLoading(false));
    return () => void (current = false);
  }, [serverId, path, reloads]);

  // A new folder: fresh selection, the folder as the default destination.
  useEffect(() => {
    setSelected(new Set());
    setAnchor(undefined);
    if (!edited.folder) setForm((f) => ({ ...f, folder: path }));
  }, [serverId, path]);

  const listing = loaded?.key === `${serverId}\n${path}` ? loaded.listing : undefined;
  const entries = useMemo(() => sortEntries(listing?.entries ?? [], order), [listing, order]);
  const paths = useMemo(() => entries.map((entry) => entry.path), [entries]);
  const server = servers?.find((each) => each.id === serverId);

  // A read-only account cannot store on the server: offer this computer.
  const readOnly = Boolean(server?.dav?.readOnly);
  useEffect(() => setForm((f) => ({ ...f, target: readOnly ? 'download' : 'server' })), [serverId, readOnly]);

  useEffect(() => {
    if (edited.name) return;
    const names = entries.filter((entry) => selected.has(entry.path)).map((entry) => entry.name);
    setForm((f) => ({ ...f, name: names.length ? defaultArchiveName(names, template) : '' }));
  }, [selected, entries, template, edited.name]);

  function open(next: string) {
    toLocation(serverId, next, true);
    setPath(next);
  }

  function pickServer(id: string) {
    toLocation(id, '', true);
    setServerId(id);
    setPath('');
    setJobId(undefined);
  }

  async function provision(id: string) {
    setBusy(true);
    try {
      await sendMessage('provisionDav', id);
      await loadServers(id);
      pickServer(id);
    } catch (e) {
      setError(asError(e));
    } finally {
      setBusy(false);
    }
  }

  async function start() {
    if (!serverId) return;
    setBusy(true);
    setError(undefined);
    try {
      const folder = form.folder.split('/').filter(Boolean).join('/');
      const started = await sendMessage('startArchive', {
        serverId,
        sources: paths.filter((each) => selected.has(each)),
        name: form.name.trim(),
        destination: form.target === 'download' ? { kind: 'download' } : { kind: 'webdav', folder },
        mode: 'browser',
      });
      setJobId(started.jobId);
    } catch (e) {
      setError(asError(e));
    } finally {
      setBusy(false);
    }
  }

  function finished(job: Job) {
    const folder = job.destination.kind === 'webdav' ? job.destination.folder : undefined;
    if (folder === path) setReloads((n) => n + 1);
  }

  return (
    <main>
      <header class="top">
        <h1>{t('browseTitle', 'Browse and archive')}</h1>
        {servers && (
          <ServerPicker
            servers={servers}
            serverId={serverId}
            busy={busy}
            onPick={pickServer}
            onProvision={(id) => void provision(id)}
          />
        )}
      </header>
      {error && (
        <div class="error" role="alert" data-testid="error" data-code={error.code}>
          <span>{toUserMessage(error)}</span>
          {serverId && (
            <button type="button" onClick={() => setReloads((n) => n + 1)}>
              {t('browseRetry', 'Try again')}
            </button>
          )}
        </div>
      )}
      {server && (
        <div class="layout">
          <section class="browser" aria-busy={loading} aria-label={t('browseFolder', 'Folder contents')}>
            <div class="bar">
              <Breadcrumbs path={path} rootLabel={server.label} onOpen={open} />
              <button type="button" data-testid="refresh" onClick={() => setReloads((n) => n + 1)}>
                {t('browseRefresh', 'Refresh')}
              </button>
            </div>
            {loading && !listing && <p class="note">{t('browseLoading', 'Loading…')}</p>}
            {listing && (
              <FileList
                key={`${serverId}:${listing.path}`}
                entries={entries}
                selected={selected}
                coverage={coverage(selected, paths)}
                order={order}
                onSort={(key) => setOrder((o) => nextOrder(o, key))}
                onToggle={(index, shift) => {
                  setSelected((s) => clickSelection(s, { order: paths, index, anchor, shift }));
                  setAnchor(index);
                }}
                onToggleAll={() => setSelected((s) => (coverage(s, paths) === 'all' ? new Set() : new Set(paths)))}
                onOpen={(entry: DavEntry) => open(entry.path)}
              />
            )}
          </section>
          <aside class="side">
            <ArchivePanel
              count={selected.size}
              form={form}
              readOnly={readOnly}
              busy={busy}
              onChange={(next) => {
                setEdited({
                  name: edited.name || next.name !== form.name,
                  folder: edited.folder || next.folder !== form.folder,
                });
                setForm(next);
              }}
              onStart={() => void start()}
            />
            {jobId && <JobStatus key={jobId} jobId={jobId} onFinished={finished} />}
          </aside>
        </div>
      )}
    </main>
  );
}
