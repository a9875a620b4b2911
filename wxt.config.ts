import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// https://wxt.dev/api/config.html
export default defineConfig({
  // Explicit imports only: WXT APIs come from '#imports', our code from '@/lib/...'.
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: [
      'storage',
      'alarms',
      'downloads',
      'notifications',
      'contextMenus',
      'scripting',
      // Chrome's worker needs an offscreen document to make a blob: URL for downloads; Firefox's
      // background is a page that makes it itself, and has no `offscreen` API (addons-linter rejects it).
      ...(browser === 'firefox' ? [] : ['offscreen']),
    ],
    // Host access is asked for at runtime, for the one server the user connects
    // (docs/browser-platform.md#host-permissions).
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    commands: {
      'archive-selection': {
        suggested_key: { default: 'Alt+Shift+Z' },
        description: '__MSG_commandArchiveSelection__',
      },
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'cloudreve-archiver@cloudreve-archiver.dev',
          // 140 (an ESR) is the first Firefox that reads `data_collection_permissions`, which AMO requires
          // of new add-ons (addons-linter: "needs Firefox 140"); the newest other need is 128
          // (`scripting.registerContentScripts` with `world: 'MAIN'`).
          strict_min_version: '140.0',
          // The extension collects nothing: it talks only to the servers the user connects.
          data_collection_permissions: { required: ['none'] },
        },
        // Firefox for Android reads `data_collection_permissions` from 142 (addons-linter). Android is
        // not tested (README "Firefox"); this states only the floor the manifest's keys need there.
        gecko_android: { strict_min_version: '142.0' },
      },
    }),
  }),
});
