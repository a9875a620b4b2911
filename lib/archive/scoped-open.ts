/**
 * One short-lived AbortSignal per opened file, detached from the job's signal
 * as soon as that file's body ends.
 *
 * A job's signal lives for the whole job, while every download request holds a
 * listener on the signal it is given: Node's fetch (undici `lib/web/fetch/request.js`)
 * removes its 'abort' listener only when the Request object is garbage-collected,
 * so 20,000 small files left up to 1,500 listeners on one signal
 * (MaxListenersExceededWarning, issue 14). Handing each request a child signal
 * leaves the job's signal with one listener per file *in flight*, whatever the
 * file count; the request's own listener dies with the child.
 */
import type { ArchiveSource } from './types';

/** A signal that aborts when `parent` does, until `release()` detaches it. */
export function childSignal(parent: AbortSignal): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort(parent.reason);
  if (parent.aborted) abort();
  else parent.addEventListener('abort', abort, { once: true });
  return { signal: controller.signal, release: () => parent.removeEventListener('abort', abort) };
}

/**
 * `open` run under a child of `signal`, released when the body is read to the
 * end, errors or is cancelled, or when no body comes back at all.
 */
export async function openScoped(
  open: ArchiveSource['open'],
  entry: Parameters<ArchiveSource['open']>[0],
  offset: number,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array> | null> {
  const scope = childSignal(signal);
  let body: ReadableStream<Uint8Array> | null;
  try {
    body = await open(entry, offset, scope.signal);
  } catch (error) {
    scope.release();
    throw error;
  }
  if (!body) {
    scope.release();
    return null;
  }
  return releasedAtEnd(body, scope.release);
}

/** `body` unchanged, calling `release` once it closes, errors or is cancelled. */
function releasedAtEnd(body: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        release();
        throw error;
      }
      if (next.done) {
        release();
        controller.close();
      } else controller.enqueue(next.value);
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
}
