import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createServerRegistry } from './registry';
import { createSecretStore } from './secret-store';
import { normalizeOrigin, toView, type ServerRecord } from './types';

const record = (id: string, origin = 'https://cloud.example.com'): ServerRecord => ({
  id,
  origin,
  kind: 'cloudreve',
  label: origin,
  addedAt: 1,
  token: { access_token: 'a', refresh_token: 'r', access_expires: '', refresh_expires: '' },
  dav: { url: `${origin}/dav/`, username: 'me@example.com', password: 'secret' },
});

let db = 0;
/** A registry on a fresh secret database (fake-indexeddb keeps databases for the whole file). */
const freshRegistry = () => createServerRegistry(createSecretStore(`secrets-${++db}`));

describe('server registry', () => {
  beforeEach(() => fakeBrowser.reset());

  it('adds, finds by origin, updates and removes', async () => {
    const registry = freshRegistry();
    await registry.add(record('a'));
    await registry.add(record('b', 'http://127.0.0.1:5212'));
    expect((await registry.findByOrigin('http://127.0.0.1:5212')).map((s) => s.id)).toEqual(['b']);
    await registry.update('a', () => ({ authState: 'sign-in-required' }));
    expect((await registry.get('a')).authState).toBe('sign-in-required');
    await registry.remove('a');
    await expect(registry.get('a')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('serializes concurrent updates so none is lost', async () => {
    const registry = freshRegistry();
    await registry.add(record('a'));
    await Promise.all([
      registry.update('a', () => ({ label: 'x' })),
      registry.update('a', () => ({ version: '4.18.0' })),
      registry.update('a', () => ({ authState: 'signed-in' })),
    ]);
    expect(await registry.get('a')).toMatchObject({ label: 'x', version: '4.18.0', authState: 'signed-in' });
  });

  it('keeps tokens and passwords out of storage.local, and gives them back with the record', async () => {
    const registry = freshRegistry();
    await registry.add(record('a'));
    await registry.update('a', () => ({ pageToken: { ...record('a').token!, access_token: 'page' } }));
    const stored = JSON.stringify(await fakeBrowser.storage.local.get(null));
    expect(stored).toContain('cloud.example.com');
    expect(stored).not.toMatch(/secret|access_token|refresh_token|"page"/);
    expect(await registry.get('a')).toMatchObject({
      token: record('a').token,
      pageToken: { access_token: 'page' },
      dav: { username: 'me@example.com', password: 'secret' },
    });
  });

  it('an upgrade moves the secrets an older version kept in storage.local, and keeps every server signed in', async () => {
    // What 0.1.0 stored: the whole record, secrets included.
    await fakeBrowser.storage.local.set({ servers: [record('a'), { ...record('b'), authState: 'signed-in' }] });
    const registry = freshRegistry();
    expect(await registry.list()).toEqual([record('a'), { ...record('b'), authState: 'signed-in' }]);
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toMatch(/secret|access_token/);
    // Moved once: the same secret database answers a later start too.
    const again = createServerRegistry(createSecretStore(`secrets-${db}`));
    expect((await again.get('b')).token).toEqual(record('b').token);
    await again.remove('b');
    expect([...(await createSecretStore(`secrets-${db}`).all()).keys()]).toEqual(['a']);
  });

  it('never exposes tokens or passwords in the view pages get', () => {
    const view = toView(record('a'));
    expect(JSON.stringify(view)).not.toContain('secret');
    expect(view).not.toHaveProperty('token');
    expect(view.dav).toEqual({ url: 'https://cloud.example.com/dav/', username: 'me@example.com' });
  });

  it.each([
    ['https://Cloud.Example.com/home?path=x', 'https://cloud.example.com'],
    ['cloud.example.com', 'https://cloud.example.com'],
    ['http://127.0.0.1:5212/', 'http://127.0.0.1:5212'],
    ['https://h:443', 'https://h'],
  ])('normalizes %s to %s', (input, origin) => {
    expect(normalizeOrigin(input)).toBe(origin);
  });

  it('rejects non-http URLs', () => {
    expect(() => normalizeOrigin('javascript:alert(1)')).toThrow();
  });
});
