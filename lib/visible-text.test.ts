import { describe, expect, it } from 'vitest';
import { showHidden } from './visible-text';

describe('showHidden', () => {
  it.each([
    ['rtl-\u202Egnp.exe', 'rtl-⟨U+202E⟩gnp.exe'],
    ['a\u200Bb.txt', 'a⟨U+200B⟩b.txt'],
    ['\u2066x\u2069', '⟨U+2066⟩x⟨U+2069⟩'],
    ['tab\there', 'tab⟨U+0009⟩here'],
    ['bom\uFEFF', 'bom⟨U+FEFF⟩'],
    ['soft\u00ADhyphen', 'soft⟨U+00AD⟩hyphen'],
    ['zwj\u200Dalone', 'zwj⟨U+200D⟩alone'],
  ])('shows %j as %j', (name, shown) => {
    expect(showHidden(name)).toBe(shown);
  });

  it('leaves ordinary names, Chinese, Arabic and emoji sequences alone', () => {
    for (const name of ['a b.txt', '中文.md', 'تقرير.pdf', '👨‍👩‍👧 family.jpg', '❤️ love.png', '🏳️‍🌈.txt']) {
      expect(showHidden(name)).toBe(name);
    }
  });

  it('makes two names that look the same look different', () => {
    expect(showHidden('report.pdf')).not.toBe(showHidden('re\u200Bport.pdf'));
  });
});
