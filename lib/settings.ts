/** User defaults, kept in `storage.sync` so they follow the user's browsers. */
import { storage } from '#imports';
import type { ArchiveMode, CompressionChoice } from './jobs/types';

export interface Settings {
  mode: ArchiveMode;
  compression: CompressionChoice;
  /** Name for a multi-item archive; {date} and {time} are replaced (YYYYMMDD, HHmmss). */
  nameTemplate: string;
  notifications: boolean;
  /** Fail a job at the first file or folder that can't be read, instead of skipping and listing it. */
  stopOnUnreadable: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  mode: 'auto',
  compression: { mode: 'auto', level: 6 },
  nameTemplate: 'archive-{date}-{time}.zip',
  notifications: true,
  stopOnUnreadable: false,
};

export const settingsItem = storage.defineItem<Settings>('sync:settings', { fallback: DEFAULT_SETTINGS });

export async function loadSettings(): Promise<Settings> {
  return { ...DEFAULT_SETTINGS, ...(await settingsItem.getValue()) };
}

/** What the user chose in the page's Archive dialog last time on one server; prefilled the next time. */
export interface LastChoice {
  mode: ArchiveMode;
  compression: CompressionChoice;
  /** The destination folder's `cloudreve://` URI, when the user chose one (else the folder the page shows). */
  folderUri?: string;
}

/** Servers remembered at most; the oldest choice goes first (`storage.sync` allows 8 KB per item). */
const MAX_REMEMBERED = 20;

/** Keyed by the server's origin, which names it in every browser the settings sync to. */
export const lastChoicesItem = storage.defineItem<Record<string, LastChoice & { at: number }>>('sync:lastChoices', {
  fallback: {},
});

export async function loadLastChoice(origin: string): Promise<LastChoice | undefined> {
  const found = (await lastChoicesItem.getValue())[origin];
  return (
    found && {
      mode: found.mode,
      compression: found.compression,
      ...(found.folderUri && { folderUri: found.folderUri }),
    }
  );
}

export async function saveLastChoice(origin: string, choice: LastChoice, at = Date.now()): Promise<void> {
  const all = { ...(await lastChoicesItem.getValue()), [origin]: { ...choice, at } };
  const kept = Object.entries(all)
    .sort(([, a], [, b]) => b.at - a.at)
    .slice(0, MAX_REMEMBERED);
  await lastChoicesItem.setValue(Object.fromEntries(kept));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The default archive name: the single item's name + `.zip`, else the
 * template with the local date and time filled in.
 */
export function defaultArchiveName(itemNames: string[], template: string, at = new Date()): string {
  if (itemNames.length === 1) return `${itemNames[0]}.zip`;
  const date = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}`;
  const time = `${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  const name = template.replaceAll('{date}', date).replaceAll('{time}', time);
  return name.toLowerCase().endsWith('.zip') ? name : `${name}.zip`;
}
