import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerRecord } from '../servers/types';
import { syncPageScripts } from './page-scripts';

const server = (origin: string, kind: ServerRecord['kind'] = 'cloudreve') =>
  ({ id: origin, origin, kind, label: origin, addedAt: 0 }) as ServerRecord;

type Registration = { id: string; matches?: string[]; js?: string[]; world?: string };

// fake-browser has no scripting API: a stand-in that keeps registrations as Chromium does.
function stubScripting() {
  const registered = new Map<string, Registration>();
  const scripting = {
    getRegisteredContentScripts: async () => [...registered.values()],
    registerContentScripts: async (scripts: Registration[]) => {
      for (const script of scripts) {
        if (registered.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
        registered.set(script.id, script);
      }
    },
    unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
      for (const id of ids) registered.delete(id);
    },
  };
  (fakeBrowser as unknown as { scripting: typeof scripting }).scripting = scripting;
  return registered;
}

const granted = async () => true;
const worlds = (registered: Map<string, Registration>) =>
  [...registered.values()].map((script) => [script.id, script.world ?? 'ISOLATED']).sort();

afterEach(() => fakeBrowser.reset());

describe('syncPageScripts', () => {
  it('keeps both scripts of a connected origin registered across syncs', async () => {
    const registered = stubScripting();
    const servers = [server('http://127.0.0.1:5212')];
    await syncPageScripts(servers, granted);
    const both = [
      ['cloudreve-page:http://127.0.0.1:5212/*', 'ISOLATED'],
      ['cloudreve-page:http://127.0.0.1:5212/*:main', 'MAIN'],
    ];
    expect(worlds(registered)).toEqual(both);
    // The second sync (after any sign-in) used to drop the page-world script as "stale".
    await syncPageScripts(servers, granted);
    await syncPageScripts(servers, granted);
    expect(worlds(registered)).toEqual(both);
  });

  it('registers a pair anew when one half is missing, and drops origins no longer wanted', async () => {
    const registered = stubScripting();
    await syncPageScripts([server('https://a.test'), server('https://b.test')], granted);
    registered.delete('cloudreve-page:https://a.test/*:main');
    await syncPageScripts([server('https://a.test')], granted);
    expect(worlds(registered)).toEqual([
      ['cloudreve-page:https://a.test/*', 'ISOLATED'],
      ['cloudreve-page:https://a.test/*:main', 'MAIN'],
    ]);
  });
});
