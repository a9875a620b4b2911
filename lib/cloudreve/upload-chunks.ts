/**
 * The chunk loop every session upload shares: Cloudreve's own chunk route, a storage
 * node, and the storage providers' part uploads (lib/cloudreve/upload-provider.ts).
 */
import type { UploadProgress } from '../archive/types';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';

/** Sends chunk `index`; resolves with what the receiver answered that must be kept (an ETag), if anything. */
export type ChunkSender = (index: number, chunk: Blob) => Promise<string | undefined>;

export interface ChunkPlan {
  /** Bytes per chunk; 0 = the whole file in one chunk. */
  chunkSize: number;
  concurrency: number;
  /** Indexes already acknowledged: not sent again. */
  done: readonly number[];
}

export interface ChunkLoopOptions {
  signal: AbortSignal;
  retry?: RetryPolicy;
  onProgress?: (progress: UploadProgress) => void;
}

/** How many chunks `size` bytes make at `chunkSize` (at least one, even for an empty file). */
export function chunkCount(size: number, chunkSize: number): number {
  return chunkSize > 0 ? Math.max(1, Math.ceil(size / chunkSize)) : 1;
}

/**
 * Sends `[i*chunkSize, min((i+1)*chunkSize, size))` for every i not in `plan.done`,
 * `plan.concurrency` at a time; `onSent` runs after each acknowledgement.
 */
export async function sendChunks(
  file: Blob,
  plan: ChunkPlan,
  options: ChunkLoopOptions,
  send: ChunkSender,
  onSent: (index: number, receipt: string | undefined) => Promise<void>,
): Promise<void> {
  const size = plan.chunkSize > 0 ? plan.chunkSize : file.size;
  const count = chunkCount(file.size, plan.chunkSize);
  const length = (index: number) => Math.min((index + 1) * size, file.size) - index * size;
  const acknowledged = new Set(plan.done);
  const pending = Array.from({ length: count }, (_, index) => index).filter((index) => !acknowledged.has(index));
  const retry = options.retry ?? DEFAULT_RETRY;
  let next = 0;
  let sent = plan.done.reduce((sum, index) => sum + length(index), 0);
  let failed = false;
  const worker = async () => {
    while (next < pending.length && !failed) {
      options.signal.throwIfAborted();
      const index = pending[next++]!;
      // Receivers check the length against the expected chunk length (Cloudreve 40013, S3 part sizes).
      const chunk = file.slice(index * size, index * size + length(index));
      try {
        const receipt = await withRetry(retry, () => send(index, chunk), options.signal);
        sent += chunk.size;
        options.onProgress?.({ sent, total: file.size });
        await onSent(index, receipt);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.min(Math.max(1, plan.concurrency), pending.length) }, worker);
  const results = await Promise.allSettled(workers);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
