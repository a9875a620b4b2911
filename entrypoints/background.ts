import { browser, defineBackground } from '#imports';
import { registerHandlers } from '@/lib/messaging';

export default defineBackground(() => {
  registerHandlers({
    ping: () => ({ version: browser.runtime.getManifest().version }),
  });
});
