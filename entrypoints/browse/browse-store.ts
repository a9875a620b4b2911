/**
 * The browse page's state in one small store the view reads (like the popup's
 * jobs-store.ts): which server and folder, its listing, the selection and the
 * archive form. The rules that tie them together live in `settle`, so the view
 * holds no state of its own.
 */
import type { Job } from '@/lib/jobs/types';
import type { DavListing } from '@/lib/messaging/payloads';
import { sendMessage } from '@/lib/messaging/protocol';
import type { ServerView } from '@/lib/servers/types';
import { DEFAULT_SETTINGS, defaultArchiveName } from '@/lib/settings';
import type { ArchiveForm } from './components/ArchivePanel';
import type { PreviewOutcome } from './components/SelectionPreview';
import { browsable } from './components/ServerPicker';
import { clickSelection, coverage } from './selection';
import { nextOrder, type SortKey, type SortOrder } from './sorting';

export interface BrowseState {
  servers?: ServerView[];
  serverId?: string;
  path: string;
  /** The listing of this server and folder only: a folder never shows another folder's rows. */
  listing?: DavListing;
  loading: boolean;
  /** What went wrong last, as thrown (lib/user-message.ts turns it into text). */
  error?: unknown;
  order: SortOrder;
  selected: Set<string>;
  anchor?: number;
  template: string;
  form: ArchiveForm;
  /** Fields the user typed in: they no longer follow the selection and the folder. */
  edited: { name: boolean; folder: boolean };
  busy: boolean;
  jobId?: string;
  /** The preview of this selection (./components/SelectionPreview.tsx): its listing for Start, a failing check. */
  preview: PreviewOutcome;
}

/**
 * The selected paths in one order that does not follow the view's sorting: the preview walks
 * them and Start names them the same, so the job takes the preview's listing (lib/service/previews.ts
 * `take` wants the same sources in the same order).
 */
export const selectedSources = (state: Pick<BrowseState, 'selected'>) => [...state.selected].sort();

/** Names one selection of one server: a preview answers only for the selection it was made for. */
export const selectionKey = (serverId: string, sources: string[]) => JSON.stringify([serverId, sources]);

/** `browse.html?server=<id>&path=<folder>`. */
export function fromLocation(): { serverId?: string; path: string } {
  const params = new URLSearchParams(location.search);
  return { serverId: params.get('server') ?? undefined, path: params.get('path') ?? '' };
}

function toLocation(serverId: string | undefined, path: string) {
  const params = new URLSearchParams();
  if (serverId) params.set('server', serverId);
  if (path) params.set('path', path);
  history.pushState(null, '', `${location.pathname}?${params}`);
}

const readOnlyOf = (state: BrowseState) =>
  Boolean(state.servers?.find((server) => server.id === state.serverId)?.dav?.readOnly);

/** The rules between fields, applied after every change. */
function settle(before: BrowseState, after: BrowseState): BrowseState {
  let next = after;
  // A new folder: fresh selection, the folder as the default destination.
  if (next.serverId !== before.serverId || next.path !== before.path) {
    const folder = next.edited.folder ? next.form.folder : next.path;
    next = { ...next, listing: undefined, selected: new Set(), anchor: undefined, form: { ...next.form, folder } };
  }
  // A read-only account cannot store on the server: offer this computer.
  if (next.serverId !== before.serverId || readOnlyOf(next) !== readOnlyOf(before)) {
    next = { ...next, form: { ...next.form, target: readOnlyOf(next) ? 'download' : 'server' } };
  }
  // Another selection: the old preview's listing and checks no longer apply.
  if (next.serverId !== before.serverId || next.selected !== before.selected) {
    next = { ...next, preview: { blocked: false } };
  }
  if (!next.edited.name) {
    const names = (next.listing?.entries ?? []).filter((entry) => next.selected.has(entry.path)).map((e) => e.name);
    next = { ...next, form: { ...next.form, name: names.length ? defaultArchiveName(names, next.template) : '' } };
  }
  return next;
}

export function createBrowseStore(initial = fromLocation()) {
  let state: BrowseState = {
    serverId: initial.serverId,
    path: initial.path,
    loading: false,
    order: { key: 'name', descending: false },
    selected: new Set(),
    template: DEFAULT_SETTINGS.nameTemplate,
    form: { name: '', folder: initial.path, target: 'server' },
    edited: { name: false, folder: false },
    busy: false,
    preview: { blocked: false },
  };
  const listeners = new Set<(state: BrowseState) => void>();
  /** Answers of an older listing request are dropped. */
  let request = 0;

  function set(patch: Partial<BrowseState>) {
    state = settle(state, { ...state, ...patch });
    for (const listener of listeners) listener(state);
  }

  /** Runs `action` with the page busy; its failure becomes the shown error. */
  async function busy(action: () => Promise<void>) {
    set({ busy: true, error: undefined });
    await action().catch((error: unknown) => set({ error }));
    set({ busy: false });
  }

  async function list() {
    const { serverId, path } = state;
    if (!serverId) return;
    const mine = ++request;
    set({ loading: true, error: undefined });
    try {
      const listing = await sendMessage('davList', serverId, path);
      if (mine === request) set({ listing, loading: false });
    } catch (error) {
      if (mine === request) set({ listing: undefined, error, loading: false });
    }
  }

  async function loadServers(pick?: string) {
    const servers = await sendMessage('listServers');
    const usable = browsable(servers);
    const wanted = pick ?? state.serverId;
    const found = usable.some((server) => server.id === wanted);
    set({ servers, serverId: found ? wanted : usable.length === 1 ? usable[0]!.id : undefined });
  }

  /** Shows `serverId`'s folder `path` (and lists it when it changed). */
  function locate(serverId: string | undefined, path: string) {
    const changed = serverId !== state.serverId || path !== state.path;
    set({ serverId, path });
    if (changed) void list();
  }

  function pickServer(id: string) {
    toLocation(id, '');
    set({ jobId: undefined });
    locate(id, '');
  }

  return {
    get: () => state,
    subscribe(listener: (state: BrowseState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async init() {
      await loadServers().catch((error: unknown) => set({ error }));
      // The server from the address (or the only usable one) is listed once the servers are known.
      void list();
      const settings = await sendMessage('getSettings').catch(() => undefined);
      if (settings) set({ template: settings.nameTemplate });
    },
    /** The browser's back/forward buttons. */
    locate,
    reload: () => void list(),
    open(path: string) {
      toLocation(state.serverId, path);
      locate(state.serverId, path);
    },
    pickServer,
    provision: (id: string) =>
      busy(async () => {
        await sendMessage('provisionDav', id);
        await loadServers(id);
        pickServer(id);
      }),
    start: () =>
      busy(async () => {
        const { serverId, form, preview } = state;
        if (!serverId) return;
        const folder = form.folder.split('/').filter(Boolean).join('/');
        const started = await sendMessage('startArchive', {
          serverId,
          sources: selectedSources(state),
          name: form.name.trim(),
          destination: form.target === 'download' ? { kind: 'download' } : { kind: 'webdav', folder },
          mode: 'browser',
          // The job takes the preview's listing instead of walking the selection again.
          ...(preview.previewId && { previewId: preview.previewId }),
        });
        set({ jobId: started.jobId });
      }),
    /** A job ended: a new archive in the open folder shows up. */
    finished(job: Job) {
      const folder = job.destination.kind === 'webdav' ? job.destination.folder : undefined;
      if (folder === state.path) void list();
    },
    sortBy: (key: SortKey) => set({ order: nextOrder(state.order, key) }),
    toggle(paths: string[], index: number, shift: boolean) {
      set({
        selected: clickSelection(state.selected, { order: paths, index, anchor: state.anchor, shift }),
        anchor: index,
      });
    },
    toggleAll: (paths: string[]) =>
      set({ selected: coverage(state.selected, paths) === 'all' ? new Set() : new Set(paths) }),
    /** The preview of selection `key` (selectionKey) reports; a report for an older selection is dropped. */
    previewed(key: string, preview: PreviewOutcome) {
      if (state.serverId && key === selectionKey(state.serverId, selectedSources(state))) set({ preview });
    },
    changeForm(form: ArchiveForm) {
      const edited = {
        name: state.edited.name || form.name !== state.form.name,
        folder: state.edited.folder || form.folder !== state.form.folder,
      };
      set({ form, edited });
    },
  };
}
