/**
 * The extension's zip stage, run in a Chromium page by bench/browser-zip.ts:
 * the same read-ahead (lib/archive/zip-entries.ts), writer, default deflater
 * (CompressionStream up to level 6, fflate above) and OPFS spool as the
 * service worker uses, on data preloaded into memory so the numbers compare
 * with Info-ZIP reading a warm page cache.
 */
import type { SourceEntry } from '../../lib/archive/types';
import { zipEntries } from '../../lib/archive/zip-entries';
import { createOpfsSpool } from '../../lib/spool/opfs';
import { SPOOL_PORT_PROTOCOL, waitForSpoolWorker } from '../../lib/spool/port-protocol';
import { defaultDeflater } from '../../lib/zip/deflate';
import type { CompressionPolicy } from '../../lib/zip/method';
import { createZipWriter } from '../../lib/zip/writer';

export interface BenchEntry extends SourceEntry {
  /** Offset of the file's bytes in /data/all. */
  at: number;
}

export interface BrowserRun {
  seconds: number;
  length: number;
}

let data: Uint8Array | undefined;

let spoolWorker: Worker | undefined;

/** A port to the page's spool worker, as the extension reaches its own (lib/service/spool-worker.ts). */
async function connectSpoolWorker(): Promise<MessagePort | undefined> {
  spoolWorker ??= new Worker(new URL('./spool-worker.ts', import.meta.url), { type: 'module' });
  const channel = new MessageChannel();
  spoolWorker.postMessage({ protocol: SPOOL_PORT_PROTOCOL }, [channel.port2]);
  return waitForSpoolWorker(channel.port1, 10_000);
}

const CHUNK = 1024 * 1024;

function bodyOf(entry: BenchEntry): ReadableStream<Uint8Array> {
  const bytes = data!.subarray(entry.at, entry.at + entry.size);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + CHUNK));
      at += CHUNK;
    },
  });
}

async function* listOf(entries: BenchEntry[]): AsyncGenerator<BenchEntry> {
  yield* entries;
}

/**
 * Zips `entries` into the OPFS spool, uploads the result to PUT /result
 * (untimed) and reports the time. With `discard`, the archive goes nowhere:
 * the time is then the zip work alone, without the spool.
 */
async function runZip(entries: BenchEntry[], policy: CompressionPolicy, discard = false): Promise<BrowserRun> {
  data ??= new Uint8Array(await (await fetch('/data/all')).arrayBuffer());
  const spool = await createOpfsSpool('bench', connectSpoolWorker);
  await spool.prune([]);
  const started = performance.now();
  const segment = await spool.openSegment('segment-00000');
  const deflater = defaultDeflater();
  const sink = discard ? { write: async () => undefined } : segment;
  const writer = createZipWriter({ sink, level: policy.level, flushEachEntry: false, deflater });
  const signal = new AbortController().signal;
  const open = async (entry: SourceEntry) => bodyOf(entry as BenchEntry);
  for await (const written of zipEntries(listOf(entries), { writer, open, policy, deflater, signal })) {
    if (!written) throw new Error('a bench file vanished');
  }
  const { length } = await writer.finish();
  const size = await segment.commit();
  const seconds = (performance.now() - started) / 1000;
  if (!discard) {
    const archive = await spool.blob([{ name: 'segment-00000', size }]);
    const response = await fetch('/result', { method: 'PUT', body: archive });
    if (!response.ok) throw new Error(`upload of the result failed: ${response.status}`);
  }
  await spool.remove();
  return { seconds, length };
}

/** Seconds to write `bytes` into an OPFS spool segment in 1 MiB chunks: the spool's own ceiling. */
async function spoolWrite(bytes: number): Promise<number> {
  const spool = await createOpfsSpool('bench-write', connectSpoolWorker);
  const chunk = new Uint8Array(1024 * 1024).fill(7);
  const started = performance.now();
  const segment = await spool.openSegment('segment-00000');
  for (let written = 0; written < bytes; written += chunk.length) await segment.write(chunk.slice());
  await segment.commit();
  const seconds = (performance.now() - started) / 1000;
  await spool.remove();
  return seconds;
}

Object.assign(globalThis, { runZip, spoolWrite });
