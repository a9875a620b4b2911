/**
 * Translation through the extension's `_locales` (browser.i18n), so the
 * browser's language picks English or Simplified Chinese. A missing key
 * falls back to its English text given at the call site.
 */
import { browser } from '#imports';

export function t(key: string, fallback: string, substitutions: (string | number)[] = []): string {
  let text: string;
  try {
    text = browser.i18n.getMessage(key as never, substitutions.map(String));
  } catch {
    // No i18n API (unit tests, the command-line tool): use the English text.
    text = '';
  }
  if (text) return text;
  return substitutions.reduce<string>((out, value, i) => out.replaceAll(`$${i + 1}`, String(value)), fallback);
}

/** The UI language for Intl formatting ("en", "zh-CN"). */
export function uiLanguage(): string {
  try {
    return browser.i18n.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}

/**
 * One formatter per language and options: building an Intl formatter costs far
 * more than using one (it resolves locale data), and the popup formats a date
 * and sizes for each of hundreds of rows (bench P6).
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) formatters.set(key, (formatter = make()));
  return formatter;
}

/** Intl.DateTimeFormat for `language` with `options`, made once. */
export function dateTimeFormat(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(`date ${language} ${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(language, options));
}

/** 1536 → "1.5 KB", in the UI language's number format. */
export function formatBytes(bytes: number, language = uiLanguage()): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const number = cached(
    `number ${language} ${digits}`,
    () => new Intl.NumberFormat(language, { maximumFractionDigits: digits }),
  );
  return `${number.format(value)} ${units[unit]}`;
}

export function formatDateTime(ms: number, language = uiLanguage()): string {
  return dateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}
