import { describe, expect, it } from 'vitest';
import type { OnUnreadable, SourceEntry } from '../archive/types';
import { AppError } from '../errors';
import { predictZipLength } from '../zip/length';
import { createPreviews, type Walk } from './previews';

const entry = (name: string, size?: number): SourceEntry => ({
  name,
  kind: size === undefined ? 'folder' : 'file',
  size: size ?? 0,
  modified: 0,
  ref: `cloudreve://my/${name}`,
});

const TREE = [entry('Docs'), entry('Docs/a.txt', 100), entry('Docs/b.jpg', 50), entry('Docs/sub'), entry('c.md', 7)];

function walkOf(entries: SourceEntry[], options: { gate?: Promise<void>; unreadable?: boolean } = {}): Walk {
  return async function* (signal: AbortSignal, onUnreadable: OnUnreadable) {
    for (const [i, item] of entries.entries()) {
      if (i === 2 && options.gate) await options.gate;
      signal.throwIfAborted();
      yield item;
    }
    if (options.unreadable) onUnreadable({ path: 'Docs/locked', kind: 'folder', code: 'cloudreve', reason: 'no' });
  };
}

async function settled(previews: ReturnType<typeof createPreviews>, id: string, serverId = 's1') {
  for (let i = 0; i < 100; i++) {
    const status = previews.status(id, serverId);
    if (status.state !== 'listing') return status;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error('preview did not settle');
}

describe('previews', () => {
  it('counts the walk and predicts the archive, the store size exactly', async () => {
    const previews = createPreviews();
    const { previewId } = previews.start(
      's1',
      ['cloudreve://my/Docs', 'cloudreve://my/c.md'],
      walkOf(TREE, { unreadable: true }),
    );
    const status = await settled(previews, previewId);
    expect(status).toMatchObject({ state: 'done', files: 3, folders: 2, bytes: 157, skipped: 1 });
    expect(status.sizes!.store.min).toBe(predictZipLength(TREE));
    expect(status.sizes!.store.max).toBe(status.sizes!.store.min);
    expect(status.sizes!.deflate.min).toBeLessThan(status.sizes!.store.min);
    expect(status.sizes!.deflate.max).toBeGreaterThan(status.sizes!.store.max);
  });

  it('shows counts while listing and stops when cancelled', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const previews = createPreviews();
    const { previewId } = previews.start('s1', ['cloudreve://my/Docs'], walkOf(TREE, { gate }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(previews.status(previewId, 's1')).toMatchObject({ state: 'listing', files: 1, folders: 1 });
    previews.cancel(previewId, 's1');
    open();
    expect((await settled(previews, previewId)).state).toBe('cancelled');
    expect(previews.take(previewId, 's1', ['cloudreve://my/Docs'])).toBeUndefined();
  });

  it('plans the parts of a split archive and names the files larger than a part', async () => {
    const previews = createPreviews();
    const stored = [
      entry('P'),
      entry('P/a.jpg', 40_000),
      entry('P/huge.jpg', 90_000),
      entry('P/b.jpg', 40_000),
      entry('P/c.jpg', 40_000),
      entry('P/vast.jpg', 70_000),
    ];
    const { previewId } = previews.start('s1', ['cloudreve://my/P'], walkOf(stored));
    expect(() => previews.parts(previewId, 's1', 65_536, { mode: 'auto', level: 6 })).toThrow(/not complete/);
    await settled(previews, previewId);
    expect(() => previews.parts(previewId, 's2', 65_536, { mode: 'auto', level: 6 })).toThrow(AppError);
    // 64 KiB parts: [P/, a] [huge] [b] [c] [vast]; huge and vast are each larger than a part.
    expect(previews.parts(previewId, 's1', 65_536, { mode: 'auto', level: 6 })).toEqual({
      count: 5,
      oversizedCount: 2,
      oversized: [
        { name: 'P/huge.jpg', size: 90_000 },
        { name: 'P/vast.jpg', size: 70_000 },
      ],
    });
    // 200,000 bytes: everything fits beside each other in two parts, nothing larger than a part.
    expect(previews.parts(previewId, 's1', 200_000, { mode: 'auto', level: 6 })).toEqual({
      count: 2,
      oversizedCount: 0,
      oversized: [],
    });
    expect(previews.ownerOf(previewId)).toBe('s1');
    expect(previews.ownerOf('nope')).toBeUndefined();
  });

  it('hands the walked entries to one job of the same server and sources, once', async () => {
    const previews = createPreviews();
    const sources = ['cloudreve://my/Docs', 'cloudreve://my/c.md'];
    const { previewId } = previews.start('s1', sources, walkOf(TREE));
    await settled(previews, previewId);
    expect(previews.bytesOf(previewId, 's2')).toBeUndefined();
    expect(previews.bytesOf(previewId, 's1')).toBe(157);
    expect(previews.take(previewId, 's2', sources)).toBeUndefined();
    expect(previews.take(previewId, 's1', sources.slice(0, 1))).toBeUndefined();
    const walked = previews.take(previewId, 's1', sources);
    expect(walked?.entries).toEqual(TREE);
    expect(walked?.totals).toEqual({ files: 3, folders: 2, bytes: 157, skipped: 0 });
    expect(previews.take(previewId, 's1', sources)).toBeUndefined();
  });

  it('answers only the server that started it, and says why a walk failed', async () => {
    const previews = createPreviews();
    const failing: Walk = async function* () {
      yield entry('x', 1);
      throw new AppError('network', 'gone');
    };
    const { previewId } = previews.start('s1', ['cloudreve://my/x'], failing);
    expect(() => previews.status(previewId, 's2')).toThrow(expect.objectContaining({ code: 'not-found' }));
    const status = await settled(previews, previewId);
    expect(status).toMatchObject({ state: 'failed', error: { code: 'network' } });
  });

  it('keeps a few previews and drops idle ones', async () => {
    let now = 0;
    const previews = createPreviews({ now: () => now });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(previews.start('s1', [`cloudreve://my/${i}`], walkOf([])).previewId);
    expect(() => previews.status(ids[0]!, 's1')).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(previews.status(ids[4]!, 's1').previewId).toBe(ids[4]);
    now += 31 * 60_000;
    previews.start('s1', ['cloudreve://my/late'], walkOf([]));
    expect(() => previews.status(ids[4]!, 's1')).toThrow(expect.objectContaining({ code: 'not-found' }));
  });
});
