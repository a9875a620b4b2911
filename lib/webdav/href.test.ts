import { describe, expect, it } from 'vitest';
import { decodeSegment, decodeXmlEntities, hrefMatches, hrefPath, hrefSegments, joinPath, resolveDavUrl } from './href';

describe('hrefSegments', () => {
  it.each([
    ['/Docs/a%20b.txt', ['Docs', 'a b.txt']],
    ['/Docs/a b.txt', ['Docs', 'a b.txt']],
    ['/Docs/a+b.txt', ['Docs', 'a+b.txt']],
    ['/Docs/a%2Bb.txt', ['Docs', 'a+b.txt']],
    ['http://127.0.0.1:8080/Docs/a#b.txt', ['Docs', 'a#b.txt']],
    ['/Docs/a%23b.txt', ['Docs', 'a#b.txt']],
    ['https://host/q?x/a.txt', ['q?x', 'a.txt']],
    ['/Docs/R&D.txt', ['Docs', 'R&D.txt']],
    ['/%E4%B8%AD%E6%96%87/', ['中文']],
    ['/%e4%b8%ad%e6%96%87/', ['中文']],
    ['/中文/😀.txt', ['中文', '😀.txt']],
    ['/%F0%9F%98%80.txt', ['😀.txt']],
    ['/100%.txt', ['100%.txt']],
    ['/100%25.txt', ['100%.txt']],
    ['/a%zz%20b', ['a%zz b']],
    ['/%E4%B8.txt', ['%E4%B8.txt']],
    ['/remote.php/dav/files/u/Docs//x/', ['remote.php', 'dav', 'files', 'u', 'Docs', 'x']],
    ['Docs/relative.txt', ['Docs', 'relative.txt']],
    ['  /padded/  ', ['padded']],
  ])('%s', (href, segments) => {
    expect(hrefSegments(href)).toEqual(segments);
  });
});

describe('hrefPath', () => {
  it('cuts scheme and authority by hand, keeping a raw # or ? in the path', () => {
    expect(hrefPath('http://u@127.0.0.1:9/a#b?c/')).toBe('/a#b?c/');
    expect(hrefPath('HTTPS://Host')).toBe('/');
    expect(hrefPath('/already/path')).toBe('/already/path');
  });
});

describe('decodeSegment', () => {
  it('keeps malformed escapes literally and decodes the well-formed ones around them', () => {
    expect(decodeSegment('50%off%20now')).toBe('50%off now');
    expect(decodeSegment('%')).toBe('%');
    expect(decodeSegment('%C3%28')).toBe('%C3%28');
  });
});

describe('decodeXmlEntities', () => {
  it.each([
    ['R&amp;D', 'R&D'],
    ['&lt;a&gt; &quot;q&quot; &apos;s&apos;', `<a> "q" 's'`],
    ['&#x4E2D;&#25991;', '中文'],
    ['&#x1F600;', '😀'],
    ['&amp;amp;', '&amp;'],
    ['&nbsp; &#0; &#x110000;', '&nbsp; &#0; &#x110000;'],
  ])('%s', (text, decoded) => {
    expect(decodeXmlEntities(text)).toBe(decoded);
  });
});

describe('resolveDavUrl', () => {
  it.each([
    ['', false, 'http://h/dav/'],
    ['Docs/a b#1.txt', false, 'http://h/dav/Docs/a%20b%231.txt'],
    ['/Docs/', true, 'http://h/dav/Docs/'],
    ['100%/R&D+(1)!.zip', false, 'http://h/dav/100%25/R%26D%2B%281%29%21.zip'],
    ['中文/😀', true, 'http://h/dav/%E4%B8%AD%E6%96%87/%F0%9F%98%80/'],
  ])('%s (collection %s)', (path, collection, url) => {
    expect(resolveDavUrl('http://h/dav', path, collection)).toBe(url);
  });

  it('round-trips through hrefSegments for awkward names', () => {
    const names = ['a b', '100%', 'x#y', 'R&D', 'a+b', '中文', '😀', '%20literal', "it's (1)"];
    for (const name of names) expect(hrefSegments(resolveDavUrl('http://h/', name))).toEqual([name]);
  });
});

describe('hrefMatches and joinPath', () => {
  it('compares regardless of escaping, trailing slash and absolute form', () => {
    const wanted = ['remote.php', 'dav', 'files', 'u', 'a b'];
    expect(hrefMatches('/remote.php/dav/files/u/a%20b/', wanted)).toBe(true);
    expect(hrefMatches('https://cloud.example/remote.php/dav/files/u/a b', wanted)).toBe(true);
    expect(hrefMatches('/remote.php/dav/files/u/a%20b/c', wanted)).toBe(false);
    // NFD from macOS-backed servers vs NFC from the UI
    expect(hrefMatches('/Cafe%CC%81', ['Café'])).toBe(true);
  });

  it('joins without stray slashes', () => {
    expect(joinPath('', 'a')).toBe('a');
    expect(joinPath('/Docs/', 'sub/', 'x.zip')).toBe('Docs/sub/x.zip');
  });
});
