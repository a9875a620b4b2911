/**
 * "Save to this computer": hands the spooled archive to the browser's
 * downloads. Chrome's worker has no `URL.createObjectURL`, so an offscreen
 * document (reason BLOBS) makes the URL and keeps it alive until the download
 * completes (docs/browser-platform.md#saving-a-file-locally); where the background is
 * a page (Firefox), it makes the URL itself. The downloads API never
 * overwrites: `conflictAction: 'uniquify'`.
 */
import { browser } from '#imports';
import type { ArchiveDestination } from '../archive/types';
import { AppError } from '../errors';
import {
  OFFSCREEN_PROTOCOL,
  type OffscreenCall,
  type OffscreenRequest,
  type OffscreenValue,
} from '../messaging/offscreen';
import { unwrapReply, type Reply } from '../messaging/reply';
import { downloadFileName } from './download-name';
import { ensureOffscreen } from './offscreen-document';

async function askOffscreen(request: OffscreenCall): Promise<string | undefined> {
  const message: OffscreenRequest = { ...request, protocol: OFFSCREEN_PROTOCOL };
  return unwrapReply((await browser.runtime.sendMessage(message)) as Reply<OffscreenValue> | undefined, request.type);
}

function waitForDownload(id: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (state: string | undefined, error: string | undefined) => {
      if (state === 'complete') finish();
      else if (state === 'interrupted') finish(new AppError('internal', `Download failed: ${error}`));
    };
    const listener = (delta: { id: number; state?: { current?: string }; error?: { current?: string } }) => {
      if (delta.id === id) settle(delta.state?.current, delta.error?.current);
    };
    const onAbort = () => {
      void browser.downloads.cancel(id).catch(() => undefined);
      finish(new AppError('cancelled', 'Cancelled'));
    };
    let settled = false;
    function finish(error?: Error) {
      if (settled) return;
      settled = true;
      browser.downloads.onChanged.removeListener(listener);
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    }
    browser.downloads.onChanged.addListener(listener);
    signal.addEventListener('abort', onAbort);
    // A small download can finish before the listener is attached: look at its state once now.
    void browser.downloads.search({ id }).then(([item]) => settle(item?.state, item?.error));
  });
}

export function createDownloadDestination(jobId: string): ArchiveDestination {
  return {
    label: 'downloads',
    async freeName(name) {
      return name;
    },
    async store(file, name, { signal, onProgress }) {
      const direct = typeof URL.createObjectURL === 'function';
      let url: string;
      if (direct) url = URL.createObjectURL(file);
      else {
        await ensureOffscreen();
        url = (await askOffscreen({ type: 'create-url', jobId, size: file.size }))!;
      }
      try {
        // A name Chromium refuses ("Invalid filename") would fail the whole job at its last step.
        const filename = downloadFileName(name);
        const id = await browser.downloads.download({ url, filename, conflictAction: 'uniquify', saveAs: false });
        await waitForDownload(id, signal);
        onProgress?.({ sent: file.size, total: file.size });
        const [item] = await browser.downloads.search({ id });
        const savedAs = item?.filename.split(/[\\/]/).pop() || filename;
        return { name: savedAs, size: item?.fileSize && item.fileSize > 0 ? item.fileSize : file.size };
      } finally {
        if (direct) URL.revokeObjectURL(url);
        else await askOffscreen({ type: 'revoke-url', url }).catch(() => undefined);
      }
    },
  };
}
