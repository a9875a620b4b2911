import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerRecord } from '../servers/types';
import { openArchiveDialogIn, openArchiveDialogInActiveTab, syncPageMenu } from './page-actions';

const server = (origin: string, kind: ServerRecord['kind'] = 'cloudreve') =>
  ({ id: origin, origin, kind, label: origin, addedAt: 0 }) as ServerRecord;

// fake-browser has no contextMenus: a recording stand-in.
function stubMenus() {
  const calls: unknown[] = [];
  const menus = {
    removeAll: vi.fn(async () => void calls.push('removeAll')),
    create: vi.fn((properties: unknown, done: () => void) => {
      calls.push(properties);
      done();
    }),
  };
  (fakeBrowser as unknown as { contextMenus: typeof menus }).contextMenus = menus;
  return calls;
}

afterEach(() => fakeBrowser.reset());

describe('syncPageMenu', () => {
  it('shows the item only on connected Cloudreve origins with host access', async () => {
    const calls = stubMenus();
    const granted = async (origin: string) => origin !== 'https://b.test';
    await syncPageMenu(
      [server('https://a.test'), server('https://b.test'), server('https://dav.test', 'webdav')],
      granted,
    );
    expect(calls).toEqual([
      'removeAll',
      expect.objectContaining({
        id: 'archive-selection',
        contexts: ['page', 'action'],
        documentUrlPatterns: ['https://a.test/*'],
      }),
    ]);
  });

  it('removes the item when no server is left, and serializes overlapping syncs', async () => {
    const calls = stubMenus();
    await Promise.all([syncPageMenu([server('https://a.test')], async () => true), syncPageMenu([], async () => true)]);
    expect(calls).toEqual(['removeAll', expect.objectContaining({ id: 'archive-selection' }), 'removeAll']);
  });
});

describe('openArchiveDialogIn', () => {
  it('sends the tab our one message, and answers false where no content script listens', async () => {
    const send = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValueOnce(undefined);
    expect(await openArchiveDialogIn(7)).toBe(true);
    expect(send).toHaveBeenCalledWith(7, { type: 'open-archive-dialog' });
    send.mockRejectedValueOnce(new Error('Could not establish connection. Receiving end does not exist.'));
    expect(await openArchiveDialogIn(8)).toBe(false);
  });

  it('targets the active tab when the command came without one', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValueOnce([{ id: 3 }] as never);
    const send = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValueOnce(undefined);
    expect(await openArchiveDialogInActiveTab()).toBe(true);
    expect(send).toHaveBeenCalledWith(3, { type: 'open-archive-dialog' });
  });
});
