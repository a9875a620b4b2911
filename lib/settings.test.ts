import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { lastChoicesItem, loadLastChoice, saveLastChoice } from './settings';

beforeEach(() => fakeBrowser.reset());

describe('last choices per server', () => {
  const choice = {
    mode: 'browser' as const,
    compression: { mode: 'auto' as const, level: 9 },
    folderUri: 'cloudreve://my/Out',
  };

  it('are kept per origin and read back for that origin only', async () => {
    await saveLastChoice('http://a.test', choice, 1);
    await saveLastChoice('http://b.test', { ...choice, mode: 'server', folderUri: 'cloudreve://my' }, 2);
    expect(await loadLastChoice('http://a.test')).toEqual(choice);
    expect((await loadLastChoice('http://b.test'))?.mode).toBe('server');
    expect(await loadLastChoice('http://c.test')).toBeUndefined();
  });

  it('keep the 20 most recent servers only (storage.sync is small)', async () => {
    for (let i = 0; i < 25; i++) await saveLastChoice(`http://s${i}.test`, choice, i);
    const kept = Object.keys(await lastChoicesItem.getValue());
    expect(kept).toHaveLength(20);
    expect(kept).not.toContain('http://s0.test');
    expect(kept).toContain('http://s24.test');
  });
});
