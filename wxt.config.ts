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
    permissions: ['storage', 'alarms', 'offscreen', 'downloads', 'notifications', 'contextMenus', 'scripting'],
    // Host access is asked for at runtime, for the one server the user connects (platform.md §1).
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
          strict_min_version: '128.0',
          // The extension collects nothing: it talks only to the servers the user connects.
          data_collection_permissions: { required: ['none'] },
        },
      },
    }),
  }),
});
