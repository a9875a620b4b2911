/**
 * A fixed-row-height list that renders only the rows in view (plus a few
 * either side), so hundreds of tasks cost what a screenful does.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export interface VirtualListProps<T> {
  items: T[];
  rowHeight: number;
  /** Visible height in pixels; the list scrolls beyond it. */
  maxHeight: number;
  keyOf(item: T): string;
  render(item: T, index: number): ComponentChildren;
  label: string;
}

const OVERSCAN = 3;

export function VirtualList<T>({ items, rowHeight, maxHeight, keyOf, render, label }: VirtualListProps<T>) {
  const [scrollTop, setScrollTop] = useState(0);
  const height = Math.min(items.length * rowHeight, maxHeight);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + maxHeight) / rowHeight) + OVERSCAN);
  return (
    <div
      class="vlist"
      style={{ height: `${height}px` }}
      onScroll={(event) => setScrollTop((event.currentTarget as HTMLElement).scrollTop)}
      data-testid="task-list"
      // Focusable so the keyboard can scroll rows that are not rendered yet.
      tabIndex={0}
    >
      <ul class="vlist-inner" style={{ height: `${items.length * rowHeight}px` }} aria-label={label}>
        {items.slice(first, last).map((item, offset) => {
          const index = first + offset;
          return (
            <li
              key={keyOf(item)}
              class="vlist-row"
              style={{ top: `${index * rowHeight}px`, height: `${rowHeight}px` }}
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
