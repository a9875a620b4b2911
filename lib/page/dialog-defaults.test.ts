import { describe, expect, it } from 'vitest';
import type { PageContext } from '../messaging/protocol';
import { DEFAULT_SETTINGS } from '../settings';
import { compressionOf, compressionValue, dialogDefaults, pageDestination } from './dialog-defaults';

const context = (patch: Partial<PageContext> = {}, archiveTask = true): PageContext => ({
  server: {
    id: 's1',
    origin: 'http://cloud.test',
    kind: 'cloudreve',
    label: 'cloud',
    permissions: { archiveTask, archiveDownload: true, webdav: true },
  },
  settings: { ...DEFAULT_SETTINGS, mode: 'auto', compression: { mode: 'auto', level: 6 } },
  ...patch,
});

describe('dialogDefaults', () => {
  it('uses the settings and the page folder when nothing was chosen on this server yet', () => {
    expect(dialogDefaults(context(), 'cloudreve://my/Docs')).toEqual({
      mode: 'auto',
      compression: { mode: 'auto', level: 6 },
      folderUri: 'cloudreve://my/Docs',
    });
  });

  it('prefills the last mode, level and destination chosen on this server', () => {
    const lastChoice = {
      mode: 'browser' as const,
      compression: { mode: 'auto' as const, level: 9 },
      folderUri: 'cloudreve://my/Out',
    };
    expect(dialogDefaults(context({ lastChoice }), 'cloudreve://my/Docs')).toEqual(lastChoice);
  });

  it('starts in the folder the page shows when the last destination was just that', () => {
    const lastChoice = { mode: 'server' as const, compression: { mode: 'auto' as const, level: 6 } };
    expect(dialogDefaults(context({ lastChoice }), 'cloudreve://my/many').folderUri).toBe('cloudreve://my/many');
  });

  it('falls back to Auto when the remembered server mode is no longer allowed', () => {
    const lastChoice = {
      mode: 'server' as const,
      compression: { mode: 'store' as const, level: 6 },
      folderUri: 'cloudreve://my',
    };
    expect(dialogDefaults(context({ lastChoice }, false), 'cloudreve://my').mode).toBe('auto');
  });
});

describe('the compression list', () => {
  it('maps store and levels both ways, keeping a forced deflate', () => {
    expect(compressionValue({ mode: 'store', level: 6 })).toBe('store');
    expect(compressionValue({ mode: 'auto', level: 9 })).toBe('9');
    expect(compressionOf('store', { mode: 'auto', level: 6 })).toEqual({ mode: 'store', level: 6 });
    expect(compressionOf('1', { mode: 'deflate', level: 6 })).toEqual({ mode: 'deflate', level: 1 });
    expect(compressionOf('9', { mode: 'store', level: 6 })).toEqual({ mode: 'auto', level: 9 });
  });
});

describe('dialogDefaults on a share link', () => {
  it("starts in the user's own drive, never in the share the page shows", () => {
    expect(dialogDefaults(context(), 'cloudreve://Ab3x:pw@share/pics').folderUri).toBe('cloudreve://my');
    expect(pageDestination('cloudreve://Ab3x@share')).toBe('cloudreve://my');
    expect(pageDestination('cloudreve://my/Docs')).toBe('cloudreve://my/Docs');
  });

  it('keeps the folder remembered on this server, unless that were a share', () => {
    const remembered = (folderUri: string) =>
      context({ lastChoice: { mode: 'auto', compression: { mode: 'auto', level: 6 }, folderUri } });
    expect(dialogDefaults(remembered('cloudreve://my/Zips'), 'cloudreve://Ab3x@share').folderUri).toBe(
      'cloudreve://my/Zips',
    );
    expect(dialogDefaults(remembered('cloudreve://Ab3x@share'), 'cloudreve://Ab3x@share').folderUri).toBe(
      'cloudreve://my',
    );
  });
});
