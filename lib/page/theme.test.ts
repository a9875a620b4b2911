import { describe, expect, it } from 'vitest';
import { luminance } from './theme';

describe('luminance', () => {
  it.each([
    ['rgb(255, 255, 255)', 1],
    ['rgb(0, 0, 0)', 0],
    ['rgb(18 18 18)', 0.006],
  ])('%s ≈ %d', (color, expected) => {
    expect(luminance(color)).toBeCloseTo(expected, 2);
  });

  it('is null for transparent or unknown colours', () => {
    expect(luminance('rgba(0, 0, 0, 0)')).toBeNull();
    expect(luminance('transparent')).toBeNull();
  });
});
