/**
 * The extension's one offscreen document (Chromium): it makes blob: URLs for downloads
 * (./download-destination.ts) and hosts the spool's worker (./spool-worker.ts). Chrome allows
 * a single offscreen document per extension and `createDocument` rejects a second one, so
 * concurrent callers share one creation (developer.chrome.com/docs/extensions/reference/api/offscreen).
 */
import { browser } from '#imports';

export const OFFSCREEN_URL = '/offscreen.html';

let creating: Promise<void> | undefined;

/** Opens the offscreen document unless it is open already. */
export async function ensureOffscreen(): Promise<void> {
  const existing = await browser.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] as never });
  if (existing.length > 0) return;
  creating ??= browser.offscreen
    .createDocument({
      url: OFFSCREEN_URL,
      reasons: ['BLOBS', 'WORKERS'] as never,
      justification:
        'Create a blob: URL of the finished archive for chrome.downloads; host the worker that writes the archive spool',
    })
    .finally(() => (creating = undefined));
  await creating;
}
