import { defineContentScript } from '#imports';
import { installSelectionBridge, installSessionWatch } from '@/lib/page/bridge-main';

/**
 * Page-world half of the bridge (docs/cloudreve-web-ui.md#redux-store: the Redux store is only reachable
 * here): the selection, and a hint when the app's stored session changes.
 */
export default defineContentScript({
  registration: 'runtime',
  world: 'MAIN',
  main() {
    installSelectionBridge(window);
    installSessionWatch(window);
  },
});
