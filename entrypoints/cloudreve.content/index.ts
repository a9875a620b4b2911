import { defineContentScript } from '#imports';
import { sendMessage } from '@/lib/messaging';
import { readPageSession } from '@/lib/page/session';

/**
 * Runs on connected Cloudreve origins only (registered at runtime by
 * lib/service/page-scripts.ts). Wiring only; behaviour lives in lib/page/.
 */
export default defineContentScript({
  registration: 'runtime',
  main(ctx) {
    let reported: string | undefined;
    const reportSession = () => {
      const token = readPageSession(localStorage);
      const key = token?.access_token ?? '';
      if (key === reported) return;
      reported = key;
      void sendMessage('reportPageSession', token).catch(() => undefined);
    };
    reportSession();
    // The app refreshes its token and may switch accounts without a storage event in this document.
    ctx.setInterval(reportSession, 30_000);
    ctx.addEventListener(window, 'focus', reportSession);
  },
});
