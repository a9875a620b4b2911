/**
 * Ordered read-ahead: starts work on the next few items while the consumer is
 * still busy with earlier ones, and hands items out strictly in order. Used to
 * download and compress small files ahead of the zip writer (lib/zip/prepare.ts).
 * Memory is bounded by `maxItems` and `maxCost` (the bytes held by started
 * work), and everything started is aborted when the consumer stops.
 */

export interface ReadAheadOptions<T, R> {
  /** Starts work on `item`, or returns undefined to leave the item to the consumer (e.g. a file too large to hold). */
  start(item: T, signal: AbortSignal): Promise<R> | undefined;
  /** What started work on `item` holds in memory, in any unit `maxCost` uses. */
  cost(item: T): number;
  /** Items queued ahead at most (started or not). */
  maxItems: number;
  /** More work starts only while the started work costs less than this. */
  maxCost: number;
  signal: AbortSignal;
}

export interface ReadAheadItem<T, R> {
  item: T;
  /** The started work, if `start` took the item. */
  ready?: Promise<R>;
}

interface Queued<T, R> extends ReadAheadItem<T, R> {
  cost: number;
}

/** Yields `items` in order, each with the work `start` began for it ahead of time. */
export async function* readAhead<T, R>(
  items: AsyncIterable<T>,
  options: ReadAheadOptions<T, R>,
): AsyncGenerator<ReadAheadItem<T, R>> {
  // One controller per started item, not one shared signal: each item's requests
  // hang listeners on the signal they get (scoped-open.ts), and a shared one would
  // carry up to `maxItems` of them at once, past Node's warning threshold of 10.
  // An item leaves `started` when its work settles, so nothing accumulates.
  const started = new Set<AbortController>();
  const stopAll = (reason: unknown) => {
    for (const item of started) item.abort(reason);
  };
  const stop = () => stopAll(options.signal.reason);
  options.signal.addEventListener('abort', stop, { once: true });
  const iterator = items[Symbol.asyncIterator]();
  const queue: Queued<T, R>[] = [];
  let held = 0;
  let exhausted = false;

  const fill = async () => {
    while (!exhausted && queue.length < options.maxItems && (held < options.maxCost || queue.length === 0)) {
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const controller = new AbortController();
      if (options.signal.aborted) controller.abort(options.signal.reason);
      started.add(controller);
      const ready = options.start(next.value, controller.signal);
      const forget = () => void started.delete(controller);
      // Failures surface when the consumer reaches the item, not as unhandled rejections now.
      if (ready) ready.then(forget, forget);
      else forget();
      const cost = ready ? options.cost(next.value) : 0;
      held += cost;
      queue.push({ item: next.value, ready, cost });
    }
  };

  try {
    for (;;) {
      await fill();
      const head = queue.shift();
      if (!head) return;
      try {
        yield { item: head.item, ready: head.ready };
      } finally {
        held -= head.cost;
      }
    }
  } finally {
    options.signal.removeEventListener('abort', stop);
    stopAll(new DOMException('Read-ahead stopped', 'AbortError'));
    if (!exhausted) await iterator.return?.();
  }
}
