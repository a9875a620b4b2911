import { describe, expect, it } from 'vitest';
import { newBrowserJob } from '@/lib/jobs/testing/browser-job';
import type { BrowserJob } from '@/lib/jobs/types';
import { jobHeadline } from '@/lib/user-message';
import { describeRow } from './row-model';

function done(patch: Partial<BrowserJob>): BrowserJob {
  return newBrowserJob('j', {
    phase: 'done',
    result: { name: 'out.zip', size: 10, location: 'cloudreve://my' },
    ...patch,
  });
}

const skipping = done({
  progress: { filesDone: 5, filesTotal: 5, bytesDone: 1, bytesTotal: 1, skipped: 3, speed: 0 },
  unreadable: [
    { path: 'd/tab\tname.txt', kind: 'file', code: 'webdav', reason: 'WebDAV GET answered HTTP 400' },
    { path: 'd/locked', kind: 'folder', code: 'webdav', reason: 'WebDAV PROPFIND answered HTTP 403' },
    { path: 'd/log.txt', kind: 'file', code: 'source-changed', reason: '"d/log.txt" changed while being archived: …' },
  ],
  renamed: [{ path: 'd/back\\slash \u202etxt.exe', name: 'd/back_slash \u202etxt.exe', reasons: ['backslash'] }],
  renamedCount: 1,
});

describe('a finished job that left files out', () => {
  it('lists them in the row with why, and the names the safety rules changed', () => {
    const model = describeRow({ key: 'job:j', createdAt: 1, kind: 'job', job: skipping }, []);
    expect(model.skipped).toBe(3);
    expect(model.unreadable).toEqual([
      {
        path: 'd/tab⟨U+0009⟩name.txt',
        reason: 'The WebDAV server answered with an error: WebDAV GET answered HTTP 400',
      },
      { path: 'd/locked', reason: 'The WebDAV server answered with an error: WebDAV PROPFIND answered HTTP 403' },
      {
        path: 'd/log.txt',
        reason: 'A file changed while it was being archived: "d/log.txt" changed while being archived: …',
      },
    ]);
    expect(model.renamed).toEqual([
      {
        path: 'd/back\\slash ⟨U+202E⟩txt.exe',
        name: 'd/back_slash ⟨U+202E⟩txt.exe',
        reason: 'a backslash became _',
      },
    ]);
  });

  it('says how many could not be read in its notification', () => {
    expect(jobHeadline(skipping)).toEqual({ title: 'Archive ready', message: 'out.zip — 3 files could not be read' });
    expect(jobHeadline(done({}))).toEqual({ title: 'Archive ready', message: 'out.zip' });
  });
});
