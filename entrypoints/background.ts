import { browser, defineBackground } from '#imports';
import { registerHandlers } from '@/lib/messaging/protocol';
import { createBackgroundApp } from '@/lib/service/app';
import { RESUME_ALARM } from '@/lib/service/keep-alive';
import {
  ARCHIVE_COMMAND,
  ARCHIVE_MENU_ID,
  openArchiveDialogIn,
  openArchiveDialogInActiveTab,
} from '@/lib/service/page-actions';

/** Wiring only (style.md): behaviour lives in lib/service/. */
export default defineBackground(() => {
  const app = createBackgroundApp();
  registerHandlers(app.handlers);
  browser.permissions.onAdded.addListener(() => void app.refreshServers());
  browser.permissions.onRemoved.addListener(() => void app.refreshServers());
  browser.notifications.onClicked.addListener((id) => void app.notificationClicked(id));
  // The alarm exists only while work runs (lib/service/keep-alive.ts): it wakes a worker killed mid-job.
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RESUME_ALARM) void app.resume();
  });
  // The page's Archive dialog from the keyboard command and the browser menu (lib/service/page-actions.ts).
  browser.commands.onCommand.addListener((command, tab) => {
    if (command === ARCHIVE_COMMAND) void openArchiveDialogInActiveTab(tab?.id);
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === ARCHIVE_MENU_ID && tab?.id !== undefined) void openArchiveDialogIn(tab.id);
  });
  void app.start();
});
