import { describe, expect, it } from 'vitest';
import type { DavEntry } from '@/lib/messaging/payloads';
import { nextOrder, sortEntries } from './sorting';

const entry = (name: string, isCollection: boolean, size = 0, modified = 0): DavEntry => ({
  name,
  path: name,
  isCollection,
  size,
  modified,
});

const entries = [
  entry('b.txt', false, 30, 3),
  entry('Zeta', true),
  entry('a10.txt', false, 10, 1),
  entry('a9.txt', false, 20, 2),
  entry('alpha', true),
];

const names = (list: DavEntry[]) => list.map((e) => e.name);

describe('sortEntries', () => {
  it('puts folders first and compares names numerically', () => {
    expect(names(sortEntries(entries, { key: 'name', descending: false }))).toEqual([
      'alpha',
      'Zeta',
      'a9.txt',
      'a10.txt',
      'b.txt',
    ]);
  });

  it('keeps folders first when descending', () => {
    expect(names(sortEntries(entries, { key: 'size', descending: true }))).toEqual([
      'Zeta',
      'alpha',
      'b.txt',
      'a9.txt',
      'a10.txt',
    ]);
  });

  it('sorts by date', () => {
    expect(names(sortEntries(entries, { key: 'modified', descending: false })).slice(2)).toEqual([
      'a10.txt',
      'a9.txt',
      'b.txt',
    ]);
  });
});

describe('nextOrder', () => {
  it('flips the same column and starts another ascending', () => {
    expect(nextOrder({ key: 'name', descending: false }, 'name')).toEqual({ key: 'name', descending: true });
    expect(nextOrder({ key: 'name', descending: true }, 'size')).toEqual({ key: 'size', descending: false });
  });
});
