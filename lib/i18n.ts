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
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

export function formatDateTime(ms: number, language = uiLanguage()): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}
