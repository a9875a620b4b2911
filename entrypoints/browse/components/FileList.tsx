/**
 * The folder's members as a windowed table: only the rows in view (plus a
 * margin) are in the DOM, so folders with thousands of entries scroll without
 * freezing. Server text is only ever rendered as text nodes.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatBytes, formatDateTime, t } from '@/lib/i18n';
import type { DavEntry } from '@/lib/messaging/payloads';
import type { SortKey, SortOrder } from '../sorting';
import { EntryIcon } from './Icon';
import { showHidden } from '@/lib/visible-text';

export const ROW_HEIGHT = 36;
const OVERSCAN = 10;

export interface FileListProps {
  entries: DavEntry[];
  selected: ReadonlySet<string>;
  coverage: 'all' | 'some' | 'none';
  order: SortOrder;
  onSort(key: SortKey): void;
  onToggle(index: number, shift: boolean): void;
  onToggleAll(): void;
  onOpen(entry: DavEntry): void;
}

export function FileList(props: FileListProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const allBox = useRef<HTMLInputElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const [focusIndex, setFocusIndex] = useState<number | undefined>(undefined);

  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (allBox.current) allBox.current.indeterminate = props.coverage === 'some';
  }, [props.coverage]);

  // Moving with the arrow keys: scroll the row into view, then focus its checkbox once it is rendered.
  useLayoutEffect(() => {
    if (focusIndex === undefined) return;
    viewport.current?.querySelector<HTMLInputElement>(`[data-index="${focusIndex}"] input`)?.focus();
  }, [focusIndex, scrollTop]);

  function moveFocus(index: number) {
    const element = viewport.current;
    const target = Math.max(0, Math.min(props.entries.length - 1, index));
    if (element) {
      const top = target * ROW_HEIGHT;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight)
        element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
      setScrollTop(element.scrollTop);
    }
    setFocusIndex(target);
  }

  function onKeyDown(event: KeyboardEvent, index: number) {
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: props.entries.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveFocus(moves[event.key]!);
    }
  }

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(props.entries.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows = props.entries.slice(first, last);

  const header = (key: SortKey, label: string) => (
    <div
      role="columnheader"
      class={`cell ${key}`}
      aria-sort={props.order.key === key ? (props.order.descending ? 'descending' : 'ascending') : 'none'}
    >
      <button type="button" class="sort" data-testid={`sort-${key}`} onClick={() => props.onSort(key)}>
        {label}
        <span aria-hidden="true">{props.order.key === key ? (props.order.descending ? ' ▾' : ' ▴') : ''}</span>
      </button>
    </div>
  );

  return (
    <div
      role="table"
      class="files"
      aria-label={t('browseFiles', 'Files and folders')}
      aria-rowcount={props.entries.length + 1}
    >
      <div role="row" class="row head" aria-rowindex={1}>
        <div role="columnheader" class="cell check">
          <input
            ref={allBox}
            type="checkbox"
            data-testid="select-all"
            aria-label={t('browseSelectAll', 'Select all in this folder')}
            title={t('browseSelectAll', 'Select all in this folder')}
            checked={props.coverage === 'all'}
            disabled={props.entries.length === 0}
            onClick={() => props.onToggleAll()}
          />
        </div>
        {header('name', t('browseName', 'Name'))}
        {header('size', t('browseSize', 'Size'))}
        {header('modified', t('browseModified', 'Modified'))}
      </div>
      <div
        ref={viewport}
        class="viewport"
        data-testid="file-list"
        onScroll={(event) => setScrollTop((event.currentTarget as HTMLDivElement).scrollTop)}
      >
        {props.entries.length === 0 && (
          <p class="note empty" data-testid="empty-folder">
            {t('browseEmpty', 'This folder is empty.')}
          </p>
        )}
        <div role="rowgroup" style={{ height: `${props.entries.length * ROW_HEIGHT}px`, position: 'relative' }}>
          {rows.map((entry, offset) => {
            const index = first + offset;
            const checked = props.selected.has(entry.path);
            return (
              <div
                key={entry.path}
                role="row"
                class={`row${checked ? ' selected' : ''}`}
                aria-rowindex={index + 2}
                aria-selected={checked}
                data-index={index}
                data-testid="entry"
                data-name={showHidden(entry.name)}
                data-kind={entry.isCollection ? 'folder' : 'file'}
                style={{ top: `${index * ROW_HEIGHT}px` }}
              >
                <div role="cell" class="cell check">
                  <input
                    type="checkbox"
                    data-testid="entry-check"
                    aria-label={t('browseSelectItem', 'Select $1', [showHidden(entry.name)])}
                    checked={checked}
                    onClick={(event) => props.onToggle(index, (event as MouseEvent).shiftKey)}
                    onKeyDown={(event) => onKeyDown(event, index)}
                    onFocus={() => setFocusIndex(index)}
                  />
                </div>
                <div role="cell" class="cell name">
                  <EntryIcon folder={entry.isCollection} />
                  {entry.isCollection ? (
                    <button
                      type="button"
                      class="link"
                      data-testid="open-folder"
                      title={showHidden(entry.name)}
                      onClick={() => props.onOpen(entry)}
                      onKeyDown={(event) => onKeyDown(event, index)}
                    >
                      {showHidden(entry.name)}
                    </button>
                  ) : (
                    <span title={showHidden(entry.name)}>{showHidden(entry.name)}</span>
                  )}
                </div>
                <div role="cell" class="cell size" data-testid="entry-size">
                  {entry.isCollection ? '—' : formatBytes(entry.size)}
                </div>
                <div role="cell" class="cell modified">
                  {entry.modified ? formatDateTime(entry.modified) : '—'}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
