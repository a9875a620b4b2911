import { describe, expect, it } from 'vitest';
import { describeCheck, describeCounts, describeDuration, describeParts, describeSizeRange } from './preview-text';

describe('preview text', () => {
  it('says counts, sizes and durations', () => {
    expect(describeCounts({ files: 12, folders: 3, bytes: 1536, skipped: 0 })).toBe(
      'Files: 12 · folders: 3 · size: 1.5 KB',
    );
    expect(describeCounts({ files: 1, folders: 0, bytes: 0, skipped: 2 })).toBe(
      'Files: 1 · folders: 0 · size: 0 B (2 cannot be read and will be left out)',
    );
    expect(describeSizeRange({ min: 2048, max: 2048 })).toBe('exactly 2 KB');
    expect(describeSizeRange({ min: 1024, max: 3 * 1024 * 1024 })).toBe('between 1 KB and 3 MB');
    expect(describeDuration(undefined)).toBe('no estimate yet');
    expect(describeDuration(200)).toBe('about 1 s');
    expect(describeDuration(45_000)).toBe('about 45 s');
    expect(describeDuration(10 * 60_000)).toBe('about 10 min');
    expect(describeDuration(3 * 3600_000)).toBe('about 3 h');
  });

  it('gives each failing check its reason and what to do', () => {
    const capacity = describeCheck({ kind: 'capacity', verdict: 'fails', need: 2048, have: 1024 });
    expect(capacity).toContain('needs at least 2 KB, your account has 1 KB left');
    expect(capacity).toContain('save it to this computer');
    const maxSize = describeCheck({ kind: 'max-size', verdict: 'fails', need: 2048, have: 1024 });
    expect(maxSize).toContain('at most 1 KB, and the archive will be at least 2 KB');
    expect(maxSize).toContain('Choose another folder, split the archive into parts');
    expect(describeCheck({ kind: 'browser-storage', verdict: 'fails', need: 2048, have: 1024 })).toContain(
      'Choose “On the server”',
    );
    expect(describeCheck({ kind: 'max-size', verdict: 'may-fail', need: 2048, have: 1024 })).toMatch(/may exceed/);
  });

  it('says how many parts and names the files larger than a part', () => {
    expect(describeParts({ count: 1, oversized: [], oversizedCount: 0 })).toBe('In one part.');
    expect(describeParts({ count: 3, oversized: [], oversizedCount: 0 })).toBe('In 3 parts.');
    expect(
      describeParts({ count: 3, oversized: [{ name: 'Docs/big.iso', size: 3 * 1024 ** 3 }], oversizedCount: 1 }),
    ).toBe('In 3 parts. Larger than a part, so in a part of its own: Docs/big.iso (3 GB).');
    const named = ['a', 'b', 'c'].map((name) => ({ name, size: 2048 }));
    expect(describeParts({ count: 9, oversized: named, oversizedCount: 5 })).toBe(
      'In 9 parts. Larger than a part, so each in a part of its own: a (2 KB), b (2 KB), c (2 KB) and 2 more.',
    );
  });
});
