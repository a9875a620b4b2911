import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fflateDeflater } from '../zip/deflate';
import { createMemorySink } from '../zip/testing/memory-sink';
import { createZipWriter } from '../zip/writer';
import type { SourceEntry } from './types';
import { zipEntries } from './zip-entries';

const MODIFIED = Date.UTC(2025, 0, 2, 3, 4, 6);
const LARGE = 5 * 1024 * 1024;

function file(name: string, bytes: Uint8Array<ArrayBuffer>): [SourceEntry, Uint8Array<ArrayBuffer>] {
  return [{ name, kind: 'file', size: bytes.length, modified: MODIFIED, ref: name }, bytes];
}

const DATA = new Map<string, Uint8Array<ArrayBuffer>>(
  [
    file('a.txt', new TextEncoder().encode('alpha '.repeat(3000))),
    file(
      'b.jpg',
      new Uint8Array(5000).map((_, i) => i * 13),
    ),
    file(
      'big.bin',
      new Uint8Array(LARGE).map((_, i) => (i * 2654435761) >>> 24),
    ),
    file('gone.txt', new Uint8Array(10)),
    file('c.txt', new TextEncoder().encode('charlie')),
  ].map(([entry, bytes]) => [entry.name, bytes]),
);

const ENTRIES: SourceEntry[] = [
  { name: 'docs', kind: 'folder', size: 0, modified: MODIFIED, ref: 'docs' },
  ...[...DATA].map(([name, bytes]) => ({
    name,
    kind: 'file' as const,
    size: bytes.length,
    modified: MODIFIED,
    ref: name,
  })),
];

async function* listOf(entries: SourceEntry[]) {
  yield* entries;
}

describe('zipEntries', () => {
  it('reads small files ahead in parallel, streams large ones, and writes everything in order', async () => {
    let open = 0;
    let maxOpen = 0;
    const opened: string[] = [];
    const sink = createMemorySink();
    const writer = createZipWriter({ sink, flushEachEntry: false });
    let bytes = 0;
    const results = [];
    for await (const result of zipEntries(listOf(ENTRIES), {
      writer,
      policy: { mode: 'auto', level: 6 },
      deflater: fflateDeflater,
      signal: new AbortController().signal,
      onBytes: (n) => (bytes += n),
      open: async (entry) => {
        opened.push(entry.name);
        open++;
        maxOpen = Math.max(maxOpen, open);
        // Latency like a server's: reading ahead is what hides it.
        await new Promise((resolve) => setTimeout(resolve, 20));
        open--;
        if (entry.name === 'gone.txt') return null;
        return new Blob([DATA.get(entry.name)!]).stream();
      },
    })) {
      results.push(result?.name ?? null);
    }
    await writer.finish();

    expect(results).toEqual(['docs/', 'a.txt', 'b.jpg', 'big.bin', null, 'c.txt']);
    expect(maxOpen).toBeGreaterThan(1);
    expect(bytes).toBe([...DATA.values()].reduce((sum, b) => sum + b.length, 0) - 10);
    const files = unzipSync(sink.bytes());
    expect(Object.keys(files)).toEqual(['docs/', 'a.txt', 'b.jpg', 'big.bin', 'c.txt']);
    for (const name of ['a.txt', 'b.jpg', 'c.txt']) expect(files[name]).toEqual(DATA.get(name));
    expect(Buffer.from(files['big.bin']!).equals(DATA.get('big.bin')!)).toBe(true);
    expect(writer.entries.find((e) => e.name === 'b.jpg')!.method).toBe('store');
    expect(writer.entries.find((e) => e.name === 'a.txt')!.method).toBe('deflate');
  });

  it('stores random data whose name says nothing, read ahead or streamed, and keeps it intact', async () => {
    const random = (size: number) => {
      const bytes = new Uint8Array(size);
      for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
      return bytes;
    };
    // 9 MiB is past the read-ahead size for deflate: that one is streamed and probed as it starts.
    const data = new Map([
      ['keys.bin', random(1024 * 1024)],
      ['disk.img', random(9 * 1024 * 1024)],
      ['notes.txt', new TextEncoder().encode('note '.repeat(20_000))],
    ]);
    const entries = [...data].map(([name, bytes]) => file(name, bytes)[0]);
    const sink = createMemorySink();
    const writer = createZipWriter({ sink, flushEachEntry: false });
    for await (const _ of zipEntries(listOf(entries), {
      writer,
      policy: { mode: 'auto', level: 6 },
      deflater: fflateDeflater,
      signal: new AbortController().signal,
      open: async (entry) => new Blob([data.get(entry.name)!]).stream(),
    })) {
      // nothing
    }
    await writer.finish();
    const methods = Object.fromEntries(writer.entries.map((entry) => [entry.name, entry.method]));
    expect(methods).toEqual({ 'keys.bin': 'store', 'disk.img': 'store', 'notes.txt': 'deflate' });
    const files = unzipSync(sink.bytes());
    for (const [name, bytes] of data) expect(Buffer.from(files[name]!).equals(bytes)).toBe(true);
  });

  it('stops and aborts what it read ahead when the signal fires', async () => {
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const writer = createZipWriter({ sink: createMemorySink() });
    const run = async () => {
      for await (const _ of zipEntries(listOf(ENTRIES), {
        writer,
        policy: { mode: 'auto', level: 6 },
        deflater: fflateDeflater,
        signal: controller.signal,
        // Like fetch: pending until the signal aborts it.
        open: (_entry, _offset, signal) => {
          signals.push(signal);
          return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        },
      })) {
        // nothing
      }
    };
    const running = run();
    setTimeout(() => controller.abort(new DOMException('cancelled', 'AbortError')), 30);
    await expect(running).rejects.toThrow('cancelled');
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });
});
