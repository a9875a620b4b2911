/** Checkbox selection over the visible (sorted) rows: single toggles and shift-click ranges. */

export interface ClickInput {
  /** Paths in display order. */
  order: readonly string[];
  index: number;
  /** The row clicked before (the range's anchor), if any. */
  anchor: number | undefined;
  shift: boolean;
}

/**
 * The selection after a checkbox click. A shift-click sets every row between
 * the anchor and the clicked row to the clicked row's new state (file-manager
 * convention); a plain click toggles one row.
 */
export function clickSelection(selected: ReadonlySet<string>, input: ClickInput): Set<string> {
  const next = new Set(selected);
  const path = input.order[input.index];
  if (path === undefined) return next;
  const checked = !selected.has(path);
  const from = input.shift && input.anchor !== undefined ? Math.min(input.anchor, input.index) : input.index;
  const to = input.shift && input.anchor !== undefined ? Math.max(input.anchor, input.index) : input.index;
  for (let i = from; i <= to; i++) {
    const each = input.order[i];
    if (each === undefined) continue;
    if (checked) next.add(each);
    else next.delete(each);
  }
  return next;
}

/** 'all', 'some' or 'none' of `order` selected, for the tri-state "select all" box. */
export function coverage(selected: ReadonlySet<string>, order: readonly string[]): 'all' | 'some' | 'none' {
  let count = 0;
  for (const path of order) if (selected.has(path)) count++;
  if (count === 0) return 'none';
  return count === order.length ? 'all' : 'some';
}
