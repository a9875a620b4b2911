/**
 * Finds the Cloudreve app's Redux store through React's fiber tree. The store
 * is not on `window` (FE `src/main.tsx`); `#root` holds a
 * `__reactContainer$<random>` fiber from which a depth-first walk over
 * `child`/`sibling` reaches the react-redux Provider's `memoizedProps.store`
 * in a few steps (docs/cloudreve-web-ui.md#redux-store).
 * Only the page world sees these properties.
 */

interface Fiber {
  child?: Fiber | null;
  sibling?: Fiber | null;
  memoizedProps?: { store?: unknown } | null;
}

export interface ReduxStoreLike {
  getState(): unknown;
}

const MAX_NODES = 2_000;

function isStore(value: unknown): value is ReduxStoreLike {
  return typeof value === 'object' && value !== null && typeof (value as ReduxStoreLike).getState === 'function';
}

export function findReduxStore(root: Element | null): ReduxStoreLike | undefined {
  if (!root) return undefined;
  const key = Object.keys(root).find((name) => name.startsWith('__reactContainer$'));
  const start = key ? ((root as unknown as Record<string, Fiber>)[key] ?? null) : null;
  const stack: Fiber[] = start ? [start] : [];
  for (let visited = 0; stack.length > 0 && visited < MAX_NODES; visited++) {
    const fiber = stack.pop()!;
    const store = fiber.memoizedProps?.store;
    if (isStore(store)) return store;
    if (fiber.sibling) stack.push(fiber.sibling);
    if (fiber.child) stack.push(fiber.child);
  }
  return undefined;
}

interface FileManagerState {
  selected?: Record<string, { name?: string; path?: string }>;
  path?: string;
  pure_path?: string;
  layout?: string;
}

/** The main explorer's selection (`fileManager[0]`), or null when the state has another shape. */
export function selectionFromState(state: unknown) {
  const manager = (state as { fileManager?: FileManagerState[] } | null)?.fileManager?.[0];
  if (!manager || typeof manager.selected !== 'object' || manager.selected === null) return null;
  const folder = manager.pure_path ?? manager.path;
  if (typeof folder !== 'string') return null;
  const entries = Object.entries(manager.selected);
  return {
    uris: entries.map(([uri, file]) => file?.path ?? uri),
    names: entries.map(([uri, file]) => file?.name ?? decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1))),
    folder,
    layout: manager.layout,
  };
}
