import { describe, expect, it } from 'vitest';
import { decodePermissions, hasPermissionBit } from './permissions';

describe('decodePermissions', () => {
  it('decodes an admin boolset with bits 0–17 set', () => {
    // bytes ff ff 03
    const admin = decodePermissions('//8D');
    expect(Object.values(admin).every(Boolean)).toBe(true);
    expect(admin).toMatchObject({ isAdmin: true, archiveTask: true, archiveDownload: true, webdav: true });
  });

  it('decodes the seeded User group (share 2, share_download 7, redirected_source 11)', () => {
    // bytes 84 08
    expect(decodePermissions('hAg=')).toEqual({
      isAdmin: false,
      isAnonymous: false,
      share: true,
      webdav: false,
      archiveDownload: false,
      archiveTask: false,
      webdavProxy: false,
      shareDownload: true,
      remoteDownload: false,
      redirectedSource: true,
      advanceDelete: false,
      uniqueDirectLink: false,
    });
  });

  it.each([
    ['IA==', 5, true], // 0x20: archive_task only
    ['IA==', 4, false],
    ['EA==', 4, true], // 0x10: archive_download only
    ['CA==', 3, true], // 0x08: webdav only
    ['__8D', 17, true], // URL-safe alphabet
    ['//8', 15, true], // padding omitted
    ['hAg=', 40, false], // beyond the stored bytes
    ['', 0, false],
  ])('bit in %j #%i → %s', (boolset, bit, expected) => {
    expect(hasPermissionBit(boolset, bit)).toBe(expected);
  });

  it('treats a missing boolset as no permissions', () => {
    expect(Object.values(decodePermissions(undefined)).some(Boolean)).toBe(false);
  });
});
