import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import {
  baseName,
  formatUri,
  joinUri,
  normalizeUri,
  parentUri,
  parseUri,
  pathEscape,
  pathUnescape,
  withoutQuery,
} from './uri';

// Expected values follow Go's url.PathEscape-style fs.PathEscape (docs/cloudreve-api.md#cloudreve-uris).
describe('pathEscape', () => {
  it.each([
    ['plain.txt', 'plain.txt'],
    ['a b.txt', 'a%20b.txt'],
    ['marker-shadow (2).png', 'marker-shadow%20(2).png'],
    ['100%', '100%25'],
    ['#1', '%231'],
    ['a+b', 'a%2Bb'],
    ['x&y=z', 'x%26y%3Dz'],
    ['why?', 'why%3F'],
    ['中文.md', '%E4%B8%AD%E6%96%87.md'],
    ['😀.png', '%F0%9F%98%80.png'],
    ["keep-_.~!*'()", "keep-_.~!*'()"],
    ['a:b;c,d@e$f', 'a%3Ab%3Bc%2Cd%40e%24f'],
    ['tab\there', 'tab%09here'],
  ])('%j → %j', (name, escaped) => {
    expect(pathEscape(name)).toBe(escaped);
    expect(pathUnescape(escaped)).toBe(name);
  });

  it('matches encodeURIComponent for ordinary names', () => {
    for (const name of ['a b', '中文', 'x&y', '100% (1)', "it's"])
      expect(pathEscape(name)).toBe(encodeURIComponent(name));
  });

  it('leaves a stray % literal when unescaping', () => {
    expect(pathUnescape('100%')).toBe('100%');
    expect(pathUnescape('%zz%41')).toBe('%zzA');
  });
});

describe('parseUri / formatUri', () => {
  it.each([
    ['cloudreve://my', { filesystem: 'my', segments: [] }],
    ['cloudreve://my/', { filesystem: 'my', segments: [] }],
    ['cloudreve://MY/a%20b/c', { filesystem: 'my', segments: ['a b', 'c'] }],
    ['cloudreve://my/Docs/2024%20reports%20(final)', { filesystem: 'my', segments: ['Docs', '2024 reports (final)'] }],
    ['cloudreve://my/%E4%B8%AD%E6%96%87.md', { filesystem: 'my', segments: ['中文.md'] }],
    ['cloudreve://my/a%2Bb%23c%3Fd%26e%25f', { filesystem: 'my', segments: ['a+b#c?d&e%f'] }],
    ['cloudreve://lUpa@my/x', { fsId: 'lUpa', filesystem: 'my', segments: ['x'] }],
    ['cloudreve://AbCd:pa%20ss@share/f', { fsId: 'AbCd', password: 'pa ss', filesystem: 'share', segments: ['f'] }],
    [
      'cloudreve://my/Docs?name=report&case_folding=true',
      { filesystem: 'my', segments: ['Docs'], query: 'name=report&case_folding=true' },
    ],
    ['cloudreve://trash', { filesystem: 'trash', segments: [] }],
  ])('%s', (uri, parsed) => {
    expect(parseUri(uri)).toEqual(parsed);
  });

  it.each([
    'cloudreve://my',
    'cloudreve://my/a%20b.txt',
    'cloudreve://my/Docs/2024%20reports%20(final)/%F0%9F%98%80%20%231.png',
    'cloudreve://AbCd:secret@share/x%2By',
    'cloudreve://my/Docs?name=a',
  ])('round-trips %s', (uri) => {
    expect(formatUri(parseUri(uri))).toBe(uri);
  });

  it.each(['https://example.com/a', 'my/a', 'cloudreve://', 'cloudreve:///a'])('rejects %s', (uri) => {
    expect(() => parseUri(uri)).toThrowError(AppError);
  });

  it('normalizes raw characters to canonical escaping', () => {
    expect(normalizeUri('cloudreve://my/a b/中文')).toBe('cloudreve://my/a%20b/%E4%B8%AD%E6%96%87');
    expect(normalizeUri('cloudreve://my/a%2fb')).toBe('cloudreve://my/a%2Fb');
  });
});

describe('joinUri / parentUri / baseName / withoutQuery', () => {
  it.each([
    ['cloudreve://my', 'a b.txt', 'cloudreve://my/a%20b.txt'],
    ['cloudreve://my/', 'x', 'cloudreve://my/x'],
    ['cloudreve://my/Docs', '100% #1 + & ?.zip', 'cloudreve://my/Docs/100%25%20%231%20%2B%20%26%20%3F.zip'],
    ['cloudreve://my/Docs?name=a', '中文 (1).zip', 'cloudreve://my/Docs/%E4%B8%AD%E6%96%87%20(1).zip'],
    ['cloudreve://my/%F0%9F%98%80', '😀', 'cloudreve://my/%F0%9F%98%80/%F0%9F%98%80'],
  ])('joinUri(%s, %j)', (parent, name, child) => {
    expect(joinUri(parent, name)).toBe(child);
    expect(baseName(child)).toBe(name);
    expect(parentUri(child)).toBe(withoutQuery(parent).replace(/\/$/, ''));
  });

  it.each(['', 'a/b'])('joinUri refuses the name %j', (name) => {
    expect(() => joinUri('cloudreve://my', name)).toThrowError(/Invalid file name/);
  });

  it('has no parent at a root and an empty base name', () => {
    expect(parentUri('cloudreve://my')).toBeUndefined();
    expect(baseName('cloudreve://my')).toBe('');
  });

  it('keeps share credentials in the parent', () => {
    expect(parentUri('cloudreve://AbCd:pw@share/a/b')).toBe('cloudreve://AbCd:pw@share/a');
  });

  it('strips the query', () => {
    expect(withoutQuery('cloudreve://my/Docs?name=x')).toBe('cloudreve://my/Docs');
    expect(withoutQuery('cloudreve://my/Docs')).toBe('cloudreve://my/Docs');
  });
});

/**
 * The folder a web-app page URL shows: `?path=` decoded once by URLSearchParams (the app builds
 * it that way, docs/cloudreve-web-ui.md#page-url), `cloudreve://my` when absent. The inverse of
 * folderPageUrl as the page reads it; only these cases need it.
 */
function uriFromPageUrl(href: string): string {
  const path = new URL(href).searchParams.get('path');
  return path ? normalizeUri(path) : 'cloudreve://my';
}

describe('uriFromPageUrl', () => {
  it.each([
    // Opened /home directly: no ?path= (docs/cloudreve-web-ui.md#page-url).
    ['https://cloud.example/home', 'cloudreve://my'],
    ['https://cloud.example/home?path=', 'cloudreve://my'],
    // Encoded once by URLSearchParams as the app does.
    ['https://cloud.example/home?path=cloudreve%3A%2F%2Fmy%2FDocs', 'cloudreve://my/Docs'],
    // Nested names are double-encoded (observed).
    [
      'https://cloud.example/home?path=cloudreve%3A%2F%2Fmy%2FDocs%2F2024%2520reports%2520%28final%29',
      'cloudreve://my/Docs/2024%20reports%20(final)',
    ],
    ['https://cloud.example/home?path=cloudreve%3A%2F%2Fmy%2Fa%2520b', 'cloudreve://my/a%20b'],
    [
      'https://cloud.example/home?path=cloudreve%3A%2F%2Fmy%2F%25E4%25B8%25AD%25E6%2596%2587',
      'cloudreve://my/%E4%B8%AD%E6%96%87',
    ],
    ['https://cloud.example/home?path=cloudreve%3A%2F%2Fmy%2F100%2525%2520%2523%2B', 'cloudreve://my/100%25%20%23%2B'],
    // A raw '+' in a query string means space to URLSearchParams, exactly as in the app.
    ['https://cloud.example/home?path=cloudreve%3A%2F%2Fmy%2Fa+b', 'cloudreve://my/a%20b'],
    ['https://cloud.example/home?path=cloudreve%3A%2F%2Fmy%2Fa%252Bb', 'cloudreve://my/a%2Bb'],
    // Hand-typed, encoded only once: normalized to canonical escaping.
    ['https://cloud.example/home?path=cloudreve://my/a%20b', 'cloudreve://my/a%20b'],
    ['https://cloud.example/home?path=cloudreve%3A%2F%2FAbCd%40share', 'cloudreve://AbCd@share'],
  ])('%s → %s', (href, uri) => {
    expect(uriFromPageUrl(href)).toBe(uri);
  });
});
