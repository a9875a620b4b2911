import { browser } from '#imports';
import { isOffscreenRequest } from '@/lib/messaging/offscreen';
import { replyOf } from '@/lib/messaging/reply';
import { spoolBlob } from '@/lib/spool/spool-blob';

/** Wiring only: makes and revokes blob: URLs of spooled archives for the worker's downloads. */
browser.runtime.onMessage.addListener((message: unknown, sender) => {
  if (!isOffscreenRequest(message) || sender.id !== browser.runtime.id) return undefined;
  return replyOf(async () => {
    if (message.type === 'create-url') return URL.createObjectURL(await spoolBlob(message.jobId, message.size));
    URL.revokeObjectURL(message.url);
    return undefined;
  });
});
