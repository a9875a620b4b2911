import { describe, expect, it } from 'vitest';
import type { UnreadableItem } from '../archive/unreadable';
import { WebDavError } from '../errors';
import type { DavResource } from './client';
import { createLimiter, MAX_DAV_DEPTH, walkDav } from './walk';

/** A fake tree: paths ending in '/' are folders. Listing is slow and records peak concurrency. */
function treeClient(paths: string[], delayMs = 5) {
  const resources = paths.map((p): DavResource => {
    const isCollection = p.endsWith('/');
    const path = isCollection ? p.slice(0, -1) : p;
    return { path, name: path.split('/').pop()!, isCollection, size: isCollection ? 0 : path.length, modified: 1 };
  });
  let active = 0;
  let peak = 0;
  const listed: string[] = [];
  return {
    stats: {
      get peak() {
        return peak;
      },
      listed,
    },
    async stat(path: string) {
      return resources.find((r) => r.path === path) ?? null;
    },
    async list(path: string) {
      active++;
      peak = Math.max(peak, active);
      listed.push(path);
      await new Promise((r) => setTimeout(r, delayMs));
      active--;
      if (!resources.some((r) => r.path === path && r.isCollection)) return null;
      return resources.filter((r) => r.path.startsWith(`${path}/`) && !r.path.slice(path.length + 1).includes('/'));
    },
  };
}

async function names(iterable: AsyncIterable<{ name: string; kind: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of iterable) out.push(entry.kind === 'folder' ? `${entry.name}/` : entry.name);
  return out;
}

const signal = new AbortController().signal;

describe('walkDav', () => {
  it('emits depth-first, folders first, names relative to the selected item’s parent', async () => {
    const client = treeClient([
      'A/',
      'A/B/',
      'A/B/b.txt',
      'A/B/C/',
      'A/a.txt',
      'A/D/',
      'A/D/d.txt',
      'A/E/',
      'other.txt',
    ]);
    const order = await names(walkDav(client, ['A/B', 'other.txt'], signal));
    expect(order).toEqual(['B/', 'B/C/', 'B/b.txt', 'other.txt']);
    const all = await names(walkDav(client, ['A'], signal));
    expect(all).toEqual(['A/', 'A/B/', 'A/B/C/', 'A/B/b.txt', 'A/D/', 'A/D/d.txt', 'A/E/', 'A/a.txt']);
  });

  it('keeps sizes and refs, and never exceeds the concurrency bound', async () => {
    const wide = ['R/', ...Array.from({ length: 12 }, (_, i) => [`R/f${i}/`, `R/f${i}/x${i}.bin`]).flat()];
    const client = treeClient(wide);
    const entries = [];
    for await (const entry of walkDav(client, ['R'], signal, { concurrency: 3 })) entries.push(entry);
    expect(entries).toHaveLength(25);
    expect(entries.find((e) => e.name === 'R/f7/x7.bin')).toEqual({
      name: 'R/f7/x7.bin',
      kind: 'file',
      size: 11,
      modified: 1,
      ref: 'R/f7/x7.bin',
    });
    expect(client.stats.peak).toBe(3);
    expect(client.stats.listed).toHaveLength(13);
  });

  it('rejects a selection that no longer exists, and stops when aborted', async () => {
    const client = treeClient(['A/', 'A/a.txt']);
    await expect(names(walkDav(client, ['missing'], signal))).rejects.toMatchObject({ code: 'selection-unavailable' });
    const controller = new AbortController();
    const walk = walkDav(client, ['A'], controller.signal);
    await walk.next();
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(walk.next()).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('createLimiter', () => {
  it('runs tasks in order with at most n at once', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let peak = 0;
    const done: number[] = [];
    await Promise.all(
      [5, 1, 3, 1, 2].map((ms, i) =>
        limit(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, ms));
          active--;
          done.push(i);
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('walkDav against a server that never ends', () => {
  it('stops at the depth cap and lists each folder once', async () => {
    // Every folder holds a `sub/` folder and itself again under another spelling.
    const listed: string[] = [];
    const client = {
      async stat(path: string): Promise<DavResource> {
        return { path, name: path, isCollection: true, size: 0, modified: 1 };
      },
      async list(path: string): Promise<DavResource[]> {
        listed.push(path);
        return [
          { path: `${path}/sub`, name: 'sub', isCollection: true, size: 0, modified: 1 },
          { path: 'Loop', name: 'Loop', isCollection: true, size: 0, modified: 1 },
        ];
      },
    };
    const skipped: string[] = [];
    const entries = await names(
      walkDav(client, ['Loop'], new AbortController().signal, {
        onSkipped: (path, reason) => skipped.push(`${reason} ${path.split('/').length}`),
      }),
    );
    expect(listed).toHaveLength(MAX_DAV_DEPTH + 1);
    expect(new Set(listed).size).toBe(listed.length);
    expect(skipped.filter((s) => s.startsWith('too-deep'))).toEqual([`too-deep ${MAX_DAV_DEPTH + 2}`]);
    expect(skipped.filter((s) => s.startsWith('seen'))).toHaveLength(MAX_DAV_DEPTH + 1);
    expect(entries.length).toBeGreaterThan(MAX_DAV_DEPTH);
  });
});

describe('walkDav with a folder that cannot be listed', () => {
  const refused = new WebDavError('webdav', 403, 'WebDAV PROPFIND answered HTTP 403');
  function refusing(locked: string) {
    const client = treeClient(['A/', 'A/locked/', 'A/locked/x.txt', 'A/open/', 'A/open/y.txt', 'A/z.txt'], 1);
    const list = client.list;
    return { ...client, list: (path: string) => (path === locked ? Promise.reject(refused) : list(path)) };
  }

  it('reports it and goes on with the rest', async () => {
    const reported: UnreadableItem[] = [];
    const walked = await names(walkDav(refusing('A/locked'), ['A'], signal, { onUnreadable: (i) => reported.push(i) }));
    expect(walked).toEqual(['A/', 'A/locked/', 'A/open/', 'A/open/y.txt', 'A/z.txt']);
    expect(reported).toEqual([
      { path: 'A/locked', kind: 'folder', code: 'webdav', reason: 'WebDAV PROPFIND answered HTTP 403' },
    ]);
  });

  it('fails the walk without a reporter, and for a server-wide refusal', async () => {
    await expect(names(walkDav(refusing('A/locked'), ['A'], signal))).rejects.toBe(refused);
    const client = treeClient(['A/', 'A/x/'], 1);
    const down = new WebDavError('wrong-credentials', 401, 'rejected');
    const failing = { ...client, list: () => Promise.reject(down) };
    await expect(names(walkDav(failing, ['A'], signal, { onUnreadable: () => undefined }))).rejects.toBe(down);
  });
});

describe('walkDav with members the client left out as unsafe', () => {
  /** A client whose listing of `A/sub` had two members that are no plain names inside it. */
  function withRefused() {
    const client = treeClient(['A/', 'A/sub/', 'A/sub/ok.txt', 'A/z.txt'], 1);
    const list = client.list;
    return {
      ...client,
      async list(path: string, _signal?: AbortSignal, onRefused?: (href: string, folder: string) => void) {
        if (path === 'A/sub') for (const href of ['/dav/A/sub/%2E%2E/', '/dav/']) onRefused?.(href, path);
        return list(path);
      },
    };
  }

  it('reports each under its folder, archived as named, and keeps the rest', async () => {
    const reported: UnreadableItem[] = [];
    const walked = await names(walkDav(withRefused(), ['A'], signal, { onUnreadable: (i) => reported.push(i) }));
    expect(walked).toEqual(['A/', 'A/sub/', 'A/sub/ok.txt', 'A/z.txt']);
    expect(reported).toEqual([
      {
        path: 'A/sub: /dav/A/sub/%2E%2E/',
        kind: 'file',
        code: 'unsafe-listing',
        reason: '"A/sub/" lists it under an address that is no name inside that folder',
      },
      {
        path: 'A/sub: /dav/',
        kind: 'file',
        code: 'unsafe-listing',
        reason: '"A/sub/" lists it under an address that is no name inside that folder',
      },
    ]);
  });

  it('fails the walk, naming the member, when there is no report to put it in', async () => {
    await expect(names(walkDav(withRefused(), ['A'], signal))).rejects.toMatchObject({
      code: 'unsafe-listing',
      details: { path: 'A/sub: /dav/A/sub/%2E%2E/' },
    });
  });
});
