/**
 * A download body that survives a broken connection, shared by the Cloudreve
 * and WebDAV sources: when the body errors, or ends before the size the file
 * was listed with, it waits, asks again from the last byte delivered (`Range`,
 * RFC 9110 §14.2) and goes on, so a flaky network never restarts a large file.
 */
import type { ChunkReader } from '../bytes';
import { AppError, isAppError } from '../errors';
import type { SourceEntry } from './types';

type Reader = ChunkReader;

export interface ResumeOptions {
  entry: SourceEntry;
  /** Where the first reader starts in the file. */
  offset: number;
  signal: AbortSignal;
  /** A reader from byte `from` (with the source's own request retries), or null when the file is gone. */
  reopen(from: number): Promise<Reader | null>;
  /**
   * The wait before resume number `failures` (counted since bytes last arrived)
   * after `error`, or undefined to give up and fail with it.
   */
  retryDelay(failures: number, error: AppError): number | undefined;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Called when every listed byte has arrived. */
  onComplete?(): void;
}

/** Wraps `first` (positioned at `options.offset`) so that breaks are resumed. */
export function resumableBody(first: Reader, options: ResumeOptions): ReadableStream<Uint8Array> {
  const { entry, signal } = options;
  let reader = first;
  let delivered = options.offset;
  let failures = 0;
  const complete = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    options.onComplete?.();
    controller.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let error: AppError;
        try {
          const { done, value } = await reader.read();
          if (!done) {
            delivered += value.byteLength;
            if (value.byteLength > 0) failures = 0;
            controller.enqueue(value);
            return;
          }
          if (delivered >= entry.size) return complete(controller);
          error = new AppError('network', `Download of ${entry.name} ended at ${delivered} of ${entry.size} bytes`);
        } catch (cause) {
          // A fetch body breaks with a bare TypeError ("terminated"): say which download.
          error = isAppError(cause)
            ? cause
            : new AppError('network', `Download of ${entry.name} broke: ${String(cause)}`);
        }
        if (signal.aborted) throw signal.reason;
        // Everything listed has arrived; a connection reset after the last byte is harmless.
        if (delivered >= entry.size && entry.size > 0) return complete(controller);
        const delay = options.retryDelay(++failures, error);
        if (delay === undefined) throw error;
        reader.cancel().catch(() => {});
        await options.sleep(delay, signal);
        const next = await options.reopen(delivered);
        if (!next) throw new AppError('not-found', `${entry.name} disappeared while it was being read`);
        reader = next;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** Drops the first `count` bytes of a stream: a server that ignores `Range` sends the whole file. */
export function skipBytes(count: number): TransformStream<Uint8Array, Uint8Array> {
  let remaining = count;
  return new TransformStream({
    transform(chunk, controller) {
      if (remaining >= chunk.byteLength) {
        remaining -= chunk.byteLength;
        return;
      }
      controller.enqueue(remaining > 0 ? chunk.subarray(remaining) : chunk);
      remaining = 0;
    },
  });
}
