// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VirtualList } from './VirtualList';

afterEach(cleanup);

const rowHeight = () => 100;

const items = Array.from({ length: 500 }, (_, i) => `task ${i}`);

function renderList() {
  return render(
    <VirtualList
      items={items}
      rowHeight={rowHeight}
      maxHeight={400}
      keyOf={(item) => item}
      label="Tasks"
      render={(item) => <span data-testid="cell">{item}</span>}
    />,
  );
}

describe('VirtualList', () => {
  it('renders only the rows in view plus a few either side', () => {
    const view = renderList();
    const cells = view.getAllByTestId('cell').map((cell) => cell.textContent);
    expect(cells).toEqual(['task 0', 'task 1', 'task 2', 'task 3', 'task 4', 'task 5', 'task 6']);
    const list = view.getByTestId('task-list');
    expect(list.style.height).toBe('400px');
    expect(view.getByRole('list', { name: 'Tasks' }).style.height).toBe('50000px');
  });

  it('moves the window when scrolled and keeps positions for screen readers', () => {
    const view = renderList();
    const list = view.getByTestId('task-list');
    list.scrollTop = 25_000;
    fireEvent.scroll(list);
    const cells = view.getAllByTestId('cell').map((cell) => cell.textContent);
    expect(cells[0]).toBe('task 247');
    expect(cells.at(-1)).toBe('task 256');
    const row = view.getAllByRole('listitem')[0]!;
    expect(row.getAttribute('aria-posinset')).toBe('248');
    expect(row.getAttribute('aria-setsize')).toBe('500');
    expect(row.style.top).toBe('24700px');
  });
});

describe('VirtualList with rows of different heights', () => {
  it('places rows at the sum of the heights above them', () => {
    const view = render(
      <VirtualList
        items={items}
        rowHeight={(item) => (item.endsWith('0') ? 150 : 100)}
        maxHeight={400}
        keyOf={(item) => item}
        label="Tasks"
        render={(item) => <span data-testid="cell">{item}</span>}
      />,
    );
    // 50 rows of 150 px and 450 of 100 px.
    expect(view.getByRole('list', { name: 'Tasks' }).style.height).toBe('52500px');
    const list = view.getByTestId('task-list');
    list.scrollTop = 1_050; // rows 0–9 take 1,050 px: row 10 starts here
    fireEvent.scroll(list);
    const rows = view.getAllByRole('listitem');
    expect(rows[0]!.getAttribute('aria-posinset')).toBe('8');
    const ten = rows.find((row) => row.textContent === 'task 10')!;
    expect([ten.style.top, ten.style.minHeight]).toEqual(['1050px', '150px']);
  });
});

describe('VirtualList with rows that grow once rendered', () => {
  /** A ResizeObserver the test drives: it reports the sizes the test gives for the cells it observes. */
  function fakeResizeObserver() {
    const observed = new Set<Element>();
    let report: ResizeObserverCallback = () => undefined;
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(callback: ResizeObserverCallback) {
          report = callback;
        }
        observe = (element: Element) => void observed.add(element);
        unobserve = (element: Element) => void observed.delete(element);
        disconnect = () => observed.clear();
      },
    );
    return {
      observed,
      resize(element: Element, blockSize: number) {
        const entry = { target: element, borderBoxSize: [{ blockSize, inlineSize: 300 }] };
        act(() => report([entry as unknown as ResizeObserverEntry], {} as ResizeObserver));
      },
    };
  }
  afterEach(() => vi.unstubAllGlobals());

  it('places the rows below a row at its measured height, so an opened list pushes them down', () => {
    const sizes = fakeResizeObserver();
    const view = renderList();
    const cellOf = (name: string) => view.getByText(name).closest('.vlist-cell')!;
    const rowOf = (name: string) => view.getByText(name).closest('li')!;
    expect(sizes.observed.size).toBe(7);
    expect(rowOf('task 2').style.top).toBe('200px');

    sizes.resize(cellOf('task 1'), 259); // task 1 opened a list: 260 px with the row's border
    expect(rowOf('task 1').style.minHeight).toBe('260px');
    expect(rowOf('task 2').style.top).toBe('360px');
    expect(view.getByRole('list', { name: 'Tasks' }).style.height).toBe('50160px');

    sizes.resize(cellOf('task 1'), 99); // closed again
    expect(rowOf('task 2').style.top).toBe('200px');
  });

  it('stops observing rows scrolled out of the window', () => {
    const sizes = fakeResizeObserver();
    const view = renderList();
    const list = view.getByTestId('task-list');
    list.scrollTop = 25_000;
    fireEvent.scroll(list);
    expect(sizes.observed.size).toBe(10);
    expect([...sizes.observed].map((cell) => cell.textContent)).toContain('task 250');
    expect([...sizes.observed].map((cell) => cell.textContent)).not.toContain('task 0');
  });
});
