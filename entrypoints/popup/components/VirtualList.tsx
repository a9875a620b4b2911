/**
 * A list that renders only the rows in view (plus a few either side), so
 * hundreds of tasks cost what a screenful does. Row heights are fixed per
 * row and known up front (a row with an error is taller), so offsets are
 * prefix sums and no row has to be measured.
 */
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';

export interface VirtualListProps<T> {
  items: T[];
  rowHeight(item: T): number;
  /** Visible height in pixels; the list scrolls beyond it. */
  maxHeight: number;
  keyOf(item: T): string;
  render(item: T, index: number): ComponentChildren;
  label: string;
}

const OVERSCAN = 3;

/** Index of the row that contains pixel `y` (offsets[i] = top of row i, offsets[n] = total). */
function rowAt(offsets: number[], y: number): number {
  let low = 0;
  let high = offsets.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (offsets[mid]! <= y) low = mid;
    else high = mid - 1;
  }
  return Math.max(0, low);
}

export function VirtualList<T>({ items, rowHeight, maxHeight, keyOf, render, label }: VirtualListProps<T>) {
  const [scrollTop, setScrollTop] = useState(0);
  const offsets = useMemo(() => {
    const tops = [0];
    for (const item of items) tops.push(tops[tops.length - 1]! + rowHeight(item));
    return tops;
  }, [items, rowHeight]);
  const total = offsets[items.length]!;
  const first = Math.max(0, rowAt(offsets, scrollTop) - OVERSCAN);
  const last = Math.min(items.length, rowAt(offsets, scrollTop + maxHeight - 1) + 1 + OVERSCAN);
  return (
    <div
      class="vlist"
      style={{ height: `${Math.min(total, maxHeight)}px` }}
      onScroll={(event) => setScrollTop((event.currentTarget as HTMLElement).scrollTop)}
      data-testid="task-list"
      // Focusable so the keyboard can scroll rows that are not rendered yet.
      tabIndex={0}
    >
      <ul class="vlist-inner" style={{ height: `${total}px` }} aria-label={label}>
        {items.slice(first, last).map((item, offset) => {
          const index = first + offset;
          return (
            <li
              key={keyOf(item)}
              class="vlist-row"
              style={{ top: `${offsets[index]}px`, height: `${offsets[index + 1]! - offsets[index]!}px` }}
              aria-setsize={items.length}
              aria-posinset={index + 1}
            >
              {render(item, index)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
