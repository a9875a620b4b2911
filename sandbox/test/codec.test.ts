import { describe, expect, it } from 'vitest';
import { escapeHref } from '../dav-xml';
import { decodeId, encodeBoolset, encodeId } from '../ids';
import { formatMyUri, parseCrUri, pathEscape } from '../uri';

describe('cloudreve:// URIs', () => {
  it('escapes segments like BE fs.PathEscape', () => {
    expect(pathEscape('marker-shadow (2).png')).toBe('marker-shadow%20(2).png');
    expect(pathEscape("a!*'()~._-Z9")).toBe("a!*'()~._-Z9");
    expect(pathEscape('100% #1 + & ? =')).toBe('100%25%20%231%20%2B%20%26%20%3F%20%3D');
    expect(pathEscape('中文🎉')).toBe('%E4%B8%AD%E6%96%87%F0%9F%8E%89');
  });

  it('parses and formats round trip', () => {
    expect(parseCrUri('cloudreve://my/Docs/2024%20reports%20(final)')).toEqual({
      filesystem: 'my',
      segments: ['Docs', '2024 reports (final)'],
      userHint: null,
    });
    expect(parseCrUri('cloudreve://abc@MY/a%2Bb/?name=x')).toEqual({
      filesystem: 'my',
      segments: ['a+b'],
      userHint: 'abc',
    });
    expect(parseCrUri('cloudreve://my')?.segments).toEqual([]);
    expect(parseCrUri('https://my/a')).toBeNull();
    expect(parseCrUri('cloudreve://my/%E0%A4')).toBeNull();
    expect(parseCrUri('cloudreve://my/a/../b')).toBeNull();
    expect(formatMyUri(['100% real #1 + more & co.txt'])).toBe(
      'cloudreve://my/100%25%20real%20%231%20%2B%20more%20%26%20co.txt',
    );
    expect(formatMyUri([])).toBe('cloudreve://my');
  });
});

describe('ids and boolsets', () => {
  it('round-trips ids per kind and rejects foreign ones', () => {
    for (const n of [1, 2, 57, 58, 1000, 123456]) expect(decodeId('task', encodeId('task', n))).toBe(n);
    expect(encodeId('task', 1).length).toBeGreaterThanOrEqual(5);
    expect(decodeId('task', encodeId('dav', 7))).toBeUndefined();
    expect(decodeId('task', '!!!')).toBeUndefined();
    expect(decodeId('task', '')).toBeUndefined();
  });

  it('encodes boolsets as Go base64', () => {
    expect(encodeBoolset([1, 2, 3])).toBe('Dg==');
    expect(Buffer.from(encodeBoolset([2, 7, 11]), 'base64')).toEqual(Buffer.from([0b1000_0100, 0b0000_1000]));
  });
});

describe('DAV hrefs', () => {
  it('escape like Go url.URL.EscapedString in path mode', () => {
    expect(escapeHref('/dav/Docs/2024 reports (final)/')).toBe('/dav/Docs/2024%20reports%20%28final%29/');
    expect(escapeHref('/dav/100% real #1 + more & co.txt')).toBe('/dav/100%25%20real%20%231%20+%20more%20&%20co.txt');
    expect(escapeHref('/dav/a?b=c;d@e')).toBe('/dav/a%3Fb=c;d@e');
  });
});
