import { describe, expect, it } from 'vitest';
import { folderToText, textToFolder } from './folder-field';

describe('destination field text', () => {
  it.each([
    ['cloudreve://my', 'cloudreve://my'],
    ['cloudreve://my/Docs/2024%20reports%20(final)', 'cloudreve://my/Docs/2024 reports (final)'],
    ['cloudreve://my/%E4%B8%AD%E6%96%87', 'cloudreve://my/中文'],
    ['cloudreve://my/100%25%20real%20%231%20%2B%20more', 'cloudreve://my/100% real #1 + more'],
    ['cloudreve://abc@share/a%3Fb', 'cloudreve://abc@share/a?b'],
  ])('%s shows as %s and reads back unchanged', (uri, text) => {
    expect(folderToText(uri)).toBe(text);
    expect(textToFolder(text)).toBe(uri);
  });

  it('drops a search query and trailing slashes', () => {
    expect(folderToText('cloudreve://my/Docs?name=x')).toBe('cloudreve://my/Docs');
    expect(textToFolder(' cloudreve://my/Docs/ ')).toBe('cloudreve://my/Docs');
  });

  it('keeps a literal % that looks like an escape', () => {
    expect(textToFolder('cloudreve://my/%20')).toBe('cloudreve://my/%2520');
  });

  it.each(['/my/Docs', 'https://x/y', 'cloudreve:///Docs', 'cloudreve://m y/x'])('refuses %s', (text) => {
    expect(() => textToFolder(text)).toThrow(expect.objectContaining({ code: 'invalid-uri' }));
  });
});
