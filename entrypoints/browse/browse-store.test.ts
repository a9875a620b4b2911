// @vitest-environment happy-dom
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { describe, expect, it, vi } from 'vitest';
import { createBrowseStore, selectedSources, selectionKey } from './browse-store';

const order = ['b', 'a', 'c'];

describe('browse store: the preview of the selection', () => {
  it('keeps the preview of the current selection only, and Start hands its id to the job', async () => {
    const store = createBrowseStore({ serverId: 's1', path: '' });
    store.toggle(order, 0, false);
    store.toggle(order, 1, false);
    // One order whatever the view's sorting: the preview and Start name the same sources.
    expect(selectedSources(store.get())).toEqual(['a', 'b']);

    store.previewed(selectionKey('s1', ['b']), { previewId: 'old', blocked: true });
    expect(store.get().preview).toEqual({ blocked: false });
    store.previewed(selectionKey('s1', ['a', 'b']), { previewId: 'p1', blocked: false });
    expect(store.get().preview).toEqual({ previewId: 'p1', blocked: false });

    const sent = vi
      .spyOn(fakeBrowser.runtime, 'sendMessage')
      .mockImplementation(() => Promise.resolve({ ok: true, value: { jobId: 'j1', kind: 'browser' } }) as never);
    await store.start();
    expect(sent.mock.calls[0]![0]).toMatchObject({
      type: 'startArchive',
      args: [{ serverId: 's1', sources: ['a', 'b'], previewId: 'p1', mode: 'browser' }],
    });
    expect(store.get().jobId).toBe('j1');

    // Another selection: the old preview no longer applies.
    store.toggle(order, 2, false);
    expect(store.get().preview).toEqual({ blocked: false });
  });
});
