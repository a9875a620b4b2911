/**
 * The one message the worker sends to the Cloudreve page's content script
 * (keyboard command and browser context menu → "open the Archive dialog").
 * `tabs.sendMessage` only reaches our own content scripts, and the page
 * itself cannot post to `runtime.onMessage`; the sender check still refuses
 * anything that is not our extension.
 */
import type { Browser } from '#imports';

export const OPEN_ARCHIVE_DIALOG = 'open-archive-dialog';

export interface OpenArchiveDialogMessage {
  type: typeof OPEN_ARCHIVE_DIALOG;
}

/** True for our worker's "open the dialog" message. */
export function isOpenArchiveDialog(
  message: unknown,
  sender: Browser.runtime.MessageSender,
  extensionId: string,
): message is OpenArchiveDialogMessage {
  return (
    sender.id === extensionId &&
    !sender.tab &&
    typeof message === 'object' &&
    message !== null &&
    (message as OpenArchiveDialogMessage).type === OPEN_ARCHIVE_DIALOG
  );
}
