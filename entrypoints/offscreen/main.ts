import { browser } from '#imports';
import { isOffscreenRequest, type OffscreenReply } from '@/lib/offscreen-protocol';
import { spoolBlob } from '@/lib/spool/spool-blob';

/** Wiring only: makes and revokes blob: URLs of spooled archives for the worker's downloads. */
browser.runtime.onMessage.addListener((message: unknown, sender) => {
  if (!isOffscreenRequest(message) || sender.id !== browser.runtime.id) return undefined;
  const work = async (): Promise<OffscreenReply> => {
    if (message.type === 'create-url')
      return { ok: true, url: URL.createObjectURL(await spoolBlob(message.jobId, message.size)) };
    URL.revokeObjectURL(message.url);
    return { ok: true };
  };
  return work().catch((error: unknown): OffscreenReply => ({ ok: false, message: String(error) }));
});
