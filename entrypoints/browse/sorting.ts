/** Sorting the listed folder: folders always first, then by the chosen column. */
import type { DavEntry } from '@/lib/messaging/payloads';

export type SortKey = 'name' | 'size' | 'modified';
export interface SortOrder {
  key: SortKey;
  descending: boolean;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** A sorted copy; ties fall back to the name so the order is stable across reloads. */
export function sortEntries(entries: readonly DavEntry[], order: SortOrder): DavEntry[] {
  const sign = order.descending ? -1 : 1;
  return [...entries].sort((a, b) => {
    if (a.isCollection !== b.isCollection) return a.isCollection ? -1 : 1;
    let result = 0;
    if (order.key === 'size') result = a.size - b.size;
    else if (order.key === 'modified') result = a.modified - b.modified;
    if (result === 0) result = collator.compare(a.name, b.name);
    return sign * result;
  });
}

/** Clicking a column header: same column flips the direction, another one starts ascending. */
export function nextOrder(current: SortOrder, key: SortKey): SortOrder {
  return current.key === key ? { key, descending: !current.descending } : { key, descending: false };
}
