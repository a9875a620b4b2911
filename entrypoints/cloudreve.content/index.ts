import { browser, defineContentScript } from '#imports';
import { sendMessage } from '@/lib/messaging/protocol';
import { createArchiveFlow } from '@/lib/page/archive-flow';
import { isConnectedOrigin } from '@/lib/page/connected-origin';
import { installEntryPoints } from '@/lib/page/entry-points';
import { readPageSession } from '@/lib/page/session';
import { watchPageSession } from '@/lib/page/session-watch';
import { isOpenArchiveDialog } from '@/lib/messaging/tab-messages';

/**
 * Runs on connected Cloudreve origins only (registered at runtime by
 * lib/service/page-scripts.ts). Wiring only; behaviour lives in lib/page/.
 */
export default defineContentScript({
  registration: 'runtime',
  async main(ctx) {
    // Before anything else: on an origin that is not a connected server, do nothing at all.
    if (!(await isConnectedOrigin()) || ctx.isInvalid) return;
    let reported: string | undefined;
    let lastReport: Promise<unknown> = Promise.resolve();
    // Answers the report in flight, so the dialog asks the worker only after it has seen the session.
    const reportSession = () => {
      const token = readPageSession(localStorage);
      const key = token?.access_token ?? '';
      if (key === reported) return lastReport;
      reported = key;
      lastReport = sendMessage('reportPageSession', token).catch(() => undefined);
      return lastReport;
    };
    void reportSession();
    // A sign-in, switch or sign-out on the page (or in another tab) is reported within a moment…
    watchPageSession(window, () => void reportSession(), ctx.signal);
    // …and, where the app's store cannot be found, at least every 30 s (the app refreshes its token quietly).
    ctx.setInterval(() => void reportSession(), 30_000);
    // Only the user's own focus: a page script's synthetic one must not trigger anything (lib/page/trusted.ts).
    ctx.addEventListener(window, 'focus', (event) => event.isTrusted && void reportSession());

    const flow = createArchiveFlow({ win: window, beforeOpen: reportSession });
    installEntryPoints(window, flow, ctx.signal);
    // Keyboard command and browser context menu, relayed by the worker (lib/service/page-actions.ts).
    const onMessage = (message: unknown, sender: Parameters<typeof isOpenArchiveDialog>[1]) => {
      if (isOpenArchiveDialog(message, sender, browser.runtime.id)) void flow.open();
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
  },
});
