import { describe, expect, it } from 'vitest';
import { clickSelection, coverage } from './selection';

const order = ['a', 'b', 'c', 'd', 'e'];

describe('clickSelection', () => {
  it('toggles one row on a plain click', () => {
    const one = clickSelection(new Set(), { order, index: 1, anchor: undefined, shift: false });
    expect([...one]).toEqual(['b']);
    expect([...clickSelection(one, { order, index: 1, anchor: 1, shift: false })]).toEqual([]);
  });

  it('selects the range between the anchor and a shift-clicked row, in either direction', () => {
    const down = clickSelection(new Set(['b']), { order, index: 3, anchor: 1, shift: true });
    expect([...down].sort()).toEqual(['b', 'c', 'd']);
    const up = clickSelection(new Set(), { order, index: 0, anchor: 2, shift: true });
    expect([...up].sort()).toEqual(['a', 'b', 'c']);
  });

  it('clears the range when the shift-clicked row was selected', () => {
    const cleared = clickSelection(new Set(order), { order, index: 4, anchor: 2, shift: true });
    expect([...cleared].sort()).toEqual(['a', 'b']);
  });

  it('treats a shift-click without an anchor as a plain click', () => {
    expect([...clickSelection(new Set(), { order, index: 2, anchor: undefined, shift: true })]).toEqual(['c']);
  });
});

describe('coverage', () => {
  it.each([
    [[], 'none'],
    [['a'], 'some'],
    [order, 'all'],
    [['elsewhere'], 'none'],
  ] as const)('%j → %s', (selected, expected) => expect(coverage(new Set(selected), order)).toBe(expected));
});
