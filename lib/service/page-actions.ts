/**
 * The worker's side of the page's Archive dialog: the keyboard command
 * (`archive-selection`, Alt+Shift+Z) and the browser context-menu item both
 * ask the tab's content script to open the dialog (lib/messaging/tab-messages.ts).
 * The menu item shows only on connected Cloudreve origins.
 */
import { browser } from '#imports';
import { t } from '../i18n';
import { OPEN_ARCHIVE_DIALOG, type OpenArchiveDialogMessage } from '../messaging/tab-messages';
import { originPattern } from '../servers/host-pattern';
import type { ServerRecord } from '../servers/types';

export const ARCHIVE_COMMAND = 'archive-selection';
export const ARCHIVE_MENU_ID = 'archive-selection';

/** Asks the content script in `tabId` to open the dialog; a tab without it (another site) is left alone. */
export async function openArchiveDialogIn(tabId: number): Promise<boolean> {
  const message: OpenArchiveDialogMessage = { type: OPEN_ARCHIVE_DIALOG };
  try {
    await browser.tabs.sendMessage(tabId, message);
    return true;
  } catch {
    // "Receiving end does not exist": not a connected Cloudreve page.
    return false;
  }
}

/** The command's target: the tab it came with, else the focused window's active tab. */
export async function openArchiveDialogInActiveTab(tabId?: number): Promise<boolean> {
  const id = tabId ?? (await browser.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id;
  return id === undefined ? false : openArchiveDialogIn(id);
}

let menuSync: Promise<void> = Promise.resolve();

function createMenu(properties: Parameters<typeof browser.contextMenus.create>[0]): Promise<void> {
  return new Promise((resolve) =>
    browser.contextMenus.create(properties, () => {
      // Read lastError so a failed create is not reported as unchecked.
      void browser.runtime.lastError;
      resolve();
    }),
  );
}

/** Re-creates the browser menu item for the connected Cloudreve origins (serialized: create fails on a duplicate id). */
export function syncPageMenu(
  servers: ServerRecord[],
  hasHostPermission: (origin: string) => Promise<boolean>,
): Promise<void> {
  menuSync = menuSync.then(async () => {
    // A set: in Firefox two servers on one host share a pattern.
    const patterns = new Set<string>();
    for (const server of servers) {
      if (server.kind === 'cloudreve' && (await hasHostPermission(server.origin)))
        patterns.add(originPattern(server.origin));
    }
    await browser.contextMenus.removeAll();
    if (patterns.size === 0) return;
    await createMenu({
      id: ARCHIVE_MENU_ID,
      title: t('menuArchiveSelection', 'Archive the selected files…'),
      contexts: ['page', 'action'],
      documentUrlPatterns: [...patterns],
    });
  });
  return menuSync.catch(() => undefined);
}
