import { describe, expect, it } from 'vitest';
import { PAGE_UI_CSS } from './dialog-styles';

describe('the page UI styles', () => {
  it('draw no emoji, which shows as an empty box without an emoji font', () => {
    expect(PAGE_UI_CSS).not.toMatch(/\p{Extended_Pictographic}/u);
  });
});
