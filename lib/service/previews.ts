/**
 * The dialog's preview: the selection is walked once in the worker (with the
 * extension's account, so the page never gets the token), counted while it
 * goes, and kept under a preview id. Start refers to that id and the job takes
 * the walked entries instead of listing again (lib/service/archive.ts). A
 * preview can be cancelled; finished ones are kept a while, a few at a time.
 */
import { planParts } from '../archive/part-plan';
import type { OnUnreadable, SourceEntry } from '../archive/types';
import type { UnreadableItem } from '../archive/unreadable';
import { AppError, isCancelled, serializeError } from '../errors';
import type { PartsPreview, PreviewStatus } from '../messaging/payloads';
import { predictZipLengthRange } from '../zip/length-range';
import type { CompressionPolicy } from '../zip/method';

export type Walk = (signal: AbortSignal, onUnreadable: OnUnreadable) => AsyncIterable<SourceEntry>;

/** What a job takes over from a finished preview. */
export interface WalkedSelection {
  entries: SourceEntry[];
  unreadable: UnreadableItem[];
  totals: { files: number; folders: number; bytes: number; skipped: number };
}

interface Preview extends WalkedSelection {
  id: string;
  serverId: string;
  sources: string[];
  state: PreviewStatus['state'];
  error?: unknown;
  controller: AbortController;
  sizes?: PreviewStatus['sizes'];
  touched: number;
}

/** Files bigger than a part named by the preview; the rest are counted. */
const OVERSIZED_NAMED = 3;

/** Previews kept at once (the oldest goes first); a dialog needs one. */
const KEPT = 4;
/** A preview nobody asked about for this long is dropped. */
const IDLE_MS = 30 * 60_000;

export function createPreviews(options: { now?: () => number; newId?: () => string } = {}) {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const previews = new Map<string, Preview>();

  function drop(preview: Preview) {
    preview.controller.abort(new AppError('cancelled', 'Preview dropped'));
    previews.delete(preview.id);
  }

  function prune() {
    for (const preview of previews.values()) if (now() - preview.touched > IDLE_MS) drop(preview);
    const byAge = [...previews.values()].sort((a, b) => a.touched - b.touched);
    while (byAge.length >= KEPT) drop(byAge.shift()!);
  }

  async function run(preview: Preview, walk: Walk) {
    const { totals } = preview;
    try {
      const onUnreadable: OnUnreadable = (item) => {
        totals.skipped += 1;
        preview.unreadable.push(item);
      };
      for await (const entry of walk(preview.controller.signal, onUnreadable)) {
        preview.entries.push(entry);
        if (entry.kind === 'file') {
          totals.files += 1;
          totals.bytes += entry.size;
        } else totals.folders += 1;
      }
      preview.sizes = {
        store: predictZipLengthRange(preview.entries, 'store'),
        auto: predictZipLengthRange(preview.entries, 'auto'),
        deflate: predictZipLengthRange(preview.entries, 'deflate'),
      };
      preview.state = 'done';
    } catch (error) {
      preview.state = isCancelled(error) || preview.controller.signal.aborted ? 'cancelled' : 'failed';
      preview.error = error;
      preview.entries = [];
    }
  }

  function find(id: string, serverId: string): Preview {
    const preview = previews.get(id);
    // A preview answers only the server (page origin) that started it.
    if (!preview || preview.serverId !== serverId) throw new AppError('not-found', `No preview ${id}`);
    preview.touched = now();
    return preview;
  }

  return {
    /** Starts walking `sources` of `serverId`; answers at once with the preview's id. */
    start(serverId: string, sources: string[], walk: Walk): { previewId: string } {
      prune();
      const preview: Preview = {
        id: newId(),
        serverId,
        sources: [...sources],
        state: 'listing',
        controller: new AbortController(),
        entries: [],
        unreadable: [],
        totals: { files: 0, folders: 0, bytes: 0, skipped: 0 },
        touched: now(),
      };
      previews.set(preview.id, preview);
      void run(preview, walk);
      return { previewId: preview.id };
    },

    status(id: string, serverId: string): PreviewStatus {
      const preview = find(id, serverId);
      return {
        previewId: preview.id,
        state: preview.state,
        ...preview.totals,
        ...(preview.sizes && { sizes: preview.sizes }),
        ...(preview.error !== undefined && preview.state === 'failed' && { error: serializeError(preview.error) }),
      };
    },

    cancel(id: string, serverId: string): void {
      const preview = find(id, serverId);
      preview.controller.abort(new AppError('cancelled', 'Preview cancelled'));
    },

    /**
     * How a split archive of a finished preview would be cut (lib/archive/part-plan.ts, the
     * plan the job makes from the same listing): the number of parts, and the files that
     * are larger than a part on their own and so get a part each.
     */
    parts(id: string, serverId: string, partBytes: number, policy: CompressionPolicy): PartsPreview {
      const preview = find(id, serverId);
      if (preview.state !== 'done') throw new AppError('not-found', `Preview ${id} is not complete`);
      const plan = planParts(preview.entries, partBytes, policy);
      const oversized = plan.filter((part) => part.oversized).map((part) => preview.entries[part.first]!);
      return {
        count: plan.length,
        oversizedCount: oversized.length,
        oversized: oversized.slice(0, OVERSIZED_NAMED).map(({ name, size }) => ({ name, size })),
      };
    },

    /** The server a preview belongs to (for our own pages, which may see any). */
    ownerOf: (id: string): string | undefined => previews.get(id)?.serverId,

    /** Bytes of the files of a finished preview of `serverId`; undefined otherwise. */
    bytesOf(id: string, serverId: string): number | undefined {
      const preview = previews.get(id);
      return preview?.serverId === serverId && preview.state === 'done' ? preview.totals.bytes : undefined;
    },

    /**
     * The walked selection for a job of `serverId` over exactly `sources`, once
     * (the preview is gone afterwards); undefined when there is none to reuse.
     */
    take(id: string, serverId: string, sources: readonly string[]): WalkedSelection | undefined {
      const preview = previews.get(id);
      if (!preview || preview.serverId !== serverId || preview.state !== 'done') return undefined;
      if (preview.sources.length !== sources.length || preview.sources.some((s, i) => s !== sources[i]))
        return undefined;
      previews.delete(id);
      return { entries: preview.entries, unreadable: preview.unreadable, totals: preview.totals };
    },
  };
}

export type Previews = ReturnType<typeof createPreviews>;
