/**
 * A list that renders only the rows in view (plus a few either side), so
 * hundreds of tasks cost what a screenful does. Offsets are prefix sums of
 * row heights: a row's estimate (`rowHeight`) until it has been rendered,
 * then its measured height. Only rendered rows are measured (a
 * ResizeObserver on each), so a row that grows — a list opened in it, a
 * long error — pushes the rows below instead of being cut off.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';

export interface VirtualListProps<T> {
  items: T[];
  /** The height a row is expected to have, used until it is rendered and measured. */
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
  const [measured, observer] = useRowHeights();
  const offsets = useMemo(() => {
    const tops = [0];
    for (const item of items) tops.push(tops[tops.length - 1]! + (measured.get(keyOf(item)) ?? rowHeight(item)));
    return tops;
  }, [items, rowHeight, keyOf, measured]);
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
          const key = keyOf(item);
          return (
            <li
              key={key}
              class="vlist-row"
              style={{ top: `${offsets[index]}px`, minHeight: `${offsets[index + 1]! - offsets[index]!}px` }}
              aria-setsize={items.length}
              aria-posinset={index + 1}
            >
              <Measured rowKey={key} observer={observer}>
                {render(item, index)}
              </Measured>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Heights of rendered rows by key, kept up to date by one ResizeObserver (absent: estimates only). */
function useRowHeights(): [ReadonlyMap<string, number>, ResizeObserver | undefined] {
  const [heights, setHeights] = useState<ReadonlyMap<string, number>>(new Map());
  const observer = useMemo(
    () =>
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver((entries) =>
            setHeights((known) => {
              let next: Map<string, number> | undefined;
              for (const entry of entries) {
                const key = (entry.target as HTMLElement).dataset.rowKey!;
                // The row's border (1 px, .vlist-row) is outside the measured cell.
                const height = Math.ceil(entry.borderBoxSize?.[0]?.blockSize ?? entry.contentRect.height) + 1;
                if (height > 1 && known.get(key) !== height) (next ??= new Map(known)).set(key, height);
              }
              return next ?? known;
            }),
          ),
    [],
  );
  useEffect(() => () => observer?.disconnect(), [observer]);
  return [heights, observer];
}

function Measured(props: { rowKey: string; observer: ResizeObserver | undefined; children: ComponentChildren }) {
  const cell = useRef<HTMLDivElement>(null);
  const { observer } = props;
  useLayoutEffect(() => {
    const element = cell.current;
    if (!element || !observer) return;
    observer.observe(element);
    return () => observer.unobserve(element);
  }, [observer]);
  return (
    <div ref={cell} class="vlist-cell" data-row-key={props.rowKey}>
      {props.children}
    </div>
  );
}
