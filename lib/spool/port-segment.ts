/**
 * A segment writer whose file is written by a dedicated worker
 * (lib/spool/sync-host.ts) at the other end of a MessagePort. Writes are
 * copied into batches of their own and the batch's buffer is transferred, so
 * no byte is copied again on the way and no view ever sends more than its own
 * bytes (structured clone of a view would clone its whole buffer).
 */
import type { SpoolAnswer, SpoolCall } from './port-protocol';
import type { SegmentWriter } from './types';

/** Bytes per message: large enough that each costs little, small enough to keep memory low. */
const BATCH = 4 * 1024 * 1024;
/** Batches sent but not yet on disk: one being written while the next is on its way. */
const IN_FLIGHT = 2;

/** Talks to one port: calls that expect a 'done' answer are answered in order. */
export function createPortCaller(port: MessagePort) {
  const waiting: { resolve: (size: number) => void; reject: (error: Error) => void }[] = [];
  let unacked = 0;
  /** Batch buffers the worker gave back, to be filled again. */
  const spare: Uint8Array<ArrayBuffer>[] = [];
  let wakeWriter: (() => void) | undefined;
  let failure: Error | undefined;

  port.onmessage = (event: MessageEvent<SpoolAnswer>) => {
    const answer = event.data;
    if (answer.type === 'written') {
      unacked--;
      if (answer.chunk.byteLength === BATCH) spare.push(answer.chunk);
    } else if (answer.type === 'done') {
      waiting.shift()?.resolve(answer.size);
    } else {
      failure = new DOMException(answer.message, answer.name);
      for (const call of waiting.splice(0)) call.reject(failure);
    }
    wakeWriter?.();
  };

  return {
    get failure() {
      return failure;
    },
    /** Sends a call that the worker answers with 'done' (or 'failed'). */
    call(message: Exclude<SpoolCall, { type: 'write' }>): Promise<number> {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        port.postMessage(message);
      });
    },
    /** Sends `chunk` (transferring its buffer), after waiting while too many are in flight. */
    async write(chunk: Uint8Array<ArrayBuffer>): Promise<void> {
      while (!failure && unacked >= IN_FLIGHT) await new Promise<void>((resolve) => (wakeWriter = resolve));
      if (failure) throw failure;
      unacked++;
      port.postMessage({ type: 'write', chunk } satisfies SpoolCall, [chunk.buffer]);
    },
    /** A 4 MiB buffer to fill: one the worker gave back, else a new one. */
    buffer(): Uint8Array<ArrayBuffer> {
      return spare.pop() ?? new Uint8Array(BATCH);
    },
    /** Aborts are best effort: a failed worker may not answer them. */
    forget(message: SpoolCall) {
      port.postMessage(message);
    },
    close() {
      port.close();
    },
  };
}

/** Opens spool/<jobId>/<name> in the worker behind `port` and answers its writer. */
export async function openPortSegment(port: MessagePort, jobId: string, name: string): Promise<SegmentWriter> {
  const worker = createPortCaller(port);
  try {
    await worker.call({ type: 'open', jobId, name });
  } catch (error) {
    worker.close();
    throw error;
  }
  let size = 0;
  let batch = worker.buffer();
  let used = 0;

  async function send(): Promise<void> {
    if (used === 0) return;
    // Only the filled part travels: a short last batch is copied out rather than sending 4 MiB.
    const filled = used;
    used = 0;
    if (filled < batch.length) return worker.write(batch.slice(0, filled));
    // The batch's buffer is transferred (detached here): the next one is a buffer the worker gave back.
    await worker.write(batch);
    batch = worker.buffer();
  }

  return {
    get size() {
      return size;
    },
    // Every chunk is copied into a batch of our own before write() resolves.
    copies: true,
    async write(chunk) {
      if (worker.failure) throw worker.failure;
      size += chunk.byteLength;
      for (let at = 0; at < chunk.byteLength;) {
        const take = Math.min(chunk.byteLength - at, batch.length - used);
        batch.set(chunk.subarray(at, at + take), used);
        used += take;
        at += take;
        if (used === batch.length) await send();
      }
    },
    async commit() {
      try {
        await send();
        const written = await worker.call({ type: 'commit' });
        if (written !== size) throw new DOMException(`The segment holds ${written} of ${size} bytes`, 'UnknownError');
        return size;
      } finally {
        worker.close();
      }
    },
    async abort() {
      await worker.call({ type: 'abort' }).catch(() => undefined);
      worker.close();
    },
  };
}
