/**
 * The two `_locales` stay in step with each other and with the code: every key
 * a `t('key', …)` call names exists in English and Simplified Chinese, and the
 * English text matches the call's fallback (the fallback is what the CLI and
 * unit tests show, so the two must not drift apart).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

type Messages = Record<string, { message: string }>;
const load = (locale: string) =>
  JSON.parse(readFileSync(join('public/_locales', locale, 'messages.json'), 'utf8')) as Messages;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** `t('key', 'fallback'` with a single- or double-quoted literal fallback. */
const CALL = /\bt\(\s*'([A-Za-z0-9_]+)',\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;

describe('locales', () => {
  const en = load('en');
  const zh = load('zh_CN');

  it('name each key once (JSON.parse keeps the last; addons-linter refuses the file)', () => {
    for (const locale of ['en', 'zh_CN']) {
      const text = readFileSync(join('public/_locales', locale, 'messages.json'), 'utf8');
      // Top-level keys: two-space indented `"key": {` lines (the files are prettier-formatted).
      const keys = [...text.matchAll(/^ {2}"([^"]+)":/gm)].map((match) => match[1]);
      const repeated = keys.filter((key, index) => keys.indexOf(key) !== index);
      expect(repeated, locale).toEqual([]);
      expect(keys.length, locale).toBe(Object.keys(load(locale)).length);
    }
  });

  it('have the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it("hold every key the code asks for, in English as the code's fallback says", () => {
    const calls = [...sources('lib'), ...sources('entrypoints')].flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(CALL)].map((match) => ({
        file,
        key: match[1]!,
        fallback: (match[2] ?? match[3]!).replace(/\\(.)/g, '$1'),
      })),
    );
    expect(calls.length).toBeGreaterThan(50);
    const missing = calls.filter(({ key }) => !en[key] || !zh[key]).map(({ file, key }) => `${file}: ${key}`);
    expect(missing).toEqual([]);
    const drifted = calls
      .filter(({ key, fallback }) => en[key] && en[key].message !== fallback && !fallback.includes('$'))
      .map(({ file, key, fallback }) => `${file}: ${key}: "${fallback}" ≠ "${en[key]!.message}"`);
    expect(drifted).toEqual([]);
  });
});
