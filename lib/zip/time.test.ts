import { describe, expect, it } from 'vitest';
import { toDosDateTime, unixSeconds, writeExtendedTimestamp } from './time';

const MIN = { date: (0 << 9) | (1 << 5) | 1, time: 0 };
const MAX = { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 };

describe('toDosDateTime', () => {
  it('packs local date and time with 2-second resolution (APPNOTE 4.4.6)', () => {
    const ms = new Date(2020, 5, 15, 13, 45, 31).getTime();
    expect(toDosDateTime(ms)).toEqual({
      date: (40 << 9) | (6 << 5) | 15,
      time: (13 << 11) | (45 << 5) | 15,
    });
  });

  it.each([
    ['1980-01-01 00:00:00', new Date(1980, 0, 1).getTime(), MIN],
    ['2107-12-31 23:59:59', new Date(2107, 11, 31, 23, 59, 59).getTime(), MAX],
    ['1979-12-31 23:59:59', new Date(1979, 11, 31, 23, 59, 59).getTime(), MIN],
    ['1970-01-01 (epoch)', 0, MIN],
    ['1800-06-01', new Date(1800, 5, 1).getTime(), MIN],
    ['2108-01-01', new Date(2108, 0, 1).getTime(), MAX],
    ['year 9999', new Date(9999, 0, 1).getTime(), MAX],
    ['NaN', Number.NaN, MIN],
    ['Infinity', Number.POSITIVE_INFINITY, MIN],
    ['beyond Date range', 1e20, MIN],
  ])('clamps %s without throwing', (_label, ms, expected) => {
    expect(toDosDateTime(ms)).toEqual(expected);
  });

  it('keeps 2099–2107, where fflate would throw', () => {
    const dos = toDosDateTime(new Date(2105, 2, 4, 5, 6, 8).getTime());
    expect(dos).toEqual({ date: (125 << 9) | (3 << 5) | 4, time: (5 << 11) | (6 << 5) | 4 });
  });
});

describe('unixSeconds', () => {
  it.each([
    [0, 0],
    [1_600_000_000_999, 1_600_000_000],
    [-1500, -2],
    [0x7fffffff * 1000, 0x7fffffff],
    [-0x80000000 * 1000, -0x80000000],
    [(0x7fffffff + 1) * 1000, null],
    [(-0x80000000 - 1) * 1000, null],
    [Number.NaN, null],
  ])('unixSeconds(%d) = %s', (ms, expected) => {
    expect(unixSeconds(ms)).toBe(expected);
  });
});

describe('writeExtendedTimestamp', () => {
  it('writes tag 0x5455, size 5, flags 1 (mtime) and the signed seconds', () => {
    const bytes = new Uint8Array(11);
    const end = writeExtendedTimestamp(new DataView(bytes.buffer), 1, 1_600_000_000);
    expect(end).toBe(10);
    expect(Buffer.from(bytes).toString('hex')).toBe('0055540500010010 5e5f00'.replace(/ /g, ''));
  });
});
