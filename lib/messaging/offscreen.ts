/**
 * Messages between the service worker and its offscreen document. The worker
 * cannot create `blob:` URLs (docs/browser-platform.md#what-the-service-worker-lacks); the offscreen document (reason
 * BLOBS) can, and it reads the archive straight from the job's OPFS spool, so
 * no byte of the archive crosses a message. Replies use the protocol's one
 * envelope (./reply.ts), so an error keeps its code.
 */

export const OFFSCREEN_PROTOCOL = 'cloudreve-archiver/offscreen';

export type OffscreenCall = { type: 'create-url'; jobId: string; size: number } | { type: 'revoke-url'; url: string };

export type OffscreenRequest = OffscreenCall & { protocol: typeof OFFSCREEN_PROTOCOL };

/** What `create-url` answers (`revoke-url` answers nothing). */
export type OffscreenValue = string | undefined;

export function isOffscreenRequest(message: unknown): message is OffscreenRequest {
  return (
    typeof message === 'object' && message !== null && (message as OffscreenRequest).protocol === OFFSCREEN_PROTOCOL
  );
}
