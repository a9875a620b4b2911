import { defineContentScript } from '#imports';
import { installSelectionBridge } from '@/lib/page/bridge-main';

/**
 * Page-world half of the selection bridge (docs/cloudreve-web-ui.md#redux-store: the Redux store is only reachable
 * here).
 */
export default defineContentScript({
  registration: 'runtime',
  world: 'MAIN',
  main() {
    installSelectionBridge(window);
  },
});
