// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DavEntry } from '@/lib/messaging/payloads';
import { FileList, ROW_HEIGHT, type FileListProps } from './FileList';

afterEach(cleanup);

const hostile = '<img src=x onerror="globalThis.pwned=1">.txt';
const entries: DavEntry[] = [
  { name: 'folder', path: 'folder', isCollection: true, size: 0, modified: 0 },
  { name: hostile, path: hostile, isCollection: false, size: 1536, modified: Date.UTC(2024, 4, 1) },
  ...Array.from({ length: 4998 }, (_, i) => ({
    name: `f${i}`,
    path: `f${i}`,
    isCollection: false,
    size: 1,
    modified: 0,
  })),
];

function renderList(overrides: Partial<FileListProps> = {}) {
  const props: FileListProps = {
    entries,
    selected: new Set(),
    coverage: 'none',
    order: { key: 'name', descending: false },
    onSort: vi.fn(),
    onToggle: vi.fn(),
    onToggleAll: vi.fn(),
    onOpen: vi.fn(),
    ...overrides,
  };
  return { view: render(<FileList {...props} />), props };
}

describe('FileList', () => {
  it('renders a window of a 5000-entry folder, and more after scrolling', () => {
    const { view } = renderList();
    const rows = () => view.getAllByTestId('entry');
    expect(rows().length).toBeLessThan(40);
    expect(view.getByRole('table').getAttribute('aria-rowcount')).toBe('5001');
    const viewport = view.getByTestId('file-list');
    viewport.scrollTop = 4000 * ROW_HEIGHT;
    fireEvent.scroll(viewport);
    expect(rows().map((row) => row.getAttribute('data-name'))).toContain('f3998');
    expect(rows().length).toBeLessThan(40);
  });

  it('shows server names as text, never as markup', () => {
    const { view } = renderList();
    expect(view.container.querySelector('img')).toBeNull();
    expect(view.getByText(hostile)).toBeTruthy();
    expect(view.getByLabelText(`Select ${hostile}`)).toBeTruthy();
  });

  it('reports clicks: shift on a checkbox, opening a folder, sorting, select all', () => {
    const { view, props } = renderList();
    fireEvent.click(view.getAllByTestId('entry-check')[1]!, { shiftKey: true });
    expect(props.onToggle).toHaveBeenCalledWith(1, true);
    fireEvent.click(view.getByTestId('open-folder'));
    expect(props.onOpen).toHaveBeenCalledWith(entries[0]);
    fireEvent.click(view.getByTestId('sort-size'));
    expect(props.onSort).toHaveBeenCalledWith('size');
    fireEvent.click(view.getByTestId('select-all'));
    expect(props.onToggleAll).toHaveBeenCalled();
  });

  it('marks a partly selected folder as indeterminate and names the sorted column', () => {
    const { view } = renderList({ coverage: 'some', order: { key: 'size', descending: true } });
    expect((view.getByTestId('select-all') as HTMLInputElement).indeterminate).toBe(true);
    expect(view.getByTestId('sort-size').parentElement!.getAttribute('aria-sort')).toBe('descending');
  });
});
