import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { crc32 } from './crc32';
import { createMemorySink } from './testing/memory-sink';
import { createZipWriter, type ZipEntryInput } from './writer';

const text = (s: string) => new TextEncoder().encode(s);
async function* chunks(...parts: Uint8Array[]) {
  for (const part of parts) yield part;
}
const MODIFIED = Date.UTC(2024, 2, 3, 4, 5, 6);

const ENTRIES: [ZipEntryInput, Uint8Array?][] = [
  [{ name: 'docs', kind: 'folder', modified: MODIFIED, method: 'store' }],
  [
    { name: 'docs/readme.txt', kind: 'file', modified: MODIFIED, method: 'deflate', size: 13_000 },
    text('hello world! '.repeat(1000)),
  ],
  [
    { name: 'docs/photo.jpg', kind: 'file', modified: MODIFIED, method: 'store' },
    new Uint8Array(3000).map((_, i) => i * 7),
  ],
  [{ name: '目录/ä 😀 #%+.txt', kind: 'file', modified: 0, method: 'store', size: 0 }, new Uint8Array(0)],
];

async function writeAll(entries = ENTRIES) {
  const sink = createMemorySink();
  const writer = createZipWriter({ sink });
  const checkpoints = [];
  for (const [entry, data] of entries) checkpoints.push(await writer.addEntry(entry, data && chunks(data)));
  const { length } = await writer.finish();
  return { bytes: sink.bytes(), length, checkpoints };
}

describe('createZipWriter', () => {
  it('writes an archive fflate reads back', async () => {
    const { bytes, length } = await writeAll();
    expect(bytes.length).toBe(length);
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toEqual(['docs/', 'docs/readme.txt', 'docs/photo.jpg', '目录/ä 😀 #%+.txt']);
    expect(files['docs/readme.txt']).toEqual(ENTRIES[1]![1]);
    expect(files['docs/photo.jpg']).toEqual(ENTRIES[2]![1]);
    expect(files['目录/ä 😀 #%+.txt']!.length).toBe(0);
  });

  it('returns JSON-safe checkpoints with crc, sizes and offsets', async () => {
    const { checkpoints } = await writeAll();
    expect(JSON.parse(JSON.stringify(checkpoints))).toEqual(checkpoints);
    const readme = checkpoints[1]!;
    expect(readme).toMatchObject({ name: 'docs/readme.txt', method: 'deflate', size: 13_000, zip64: false });
    expect(readme.crc).toBe(crc32(ENTRIES[1]![1]!));
    expect(readme.compressedSize).toBeLessThan(200);
    expect(readme.offset).toBe(checkpoints[0]!.end);
    expect(checkpoints[2]).toMatchObject({ zip64: true, size: 3000, compressedSize: 3000 });
    expect(checkpoints[0]).toMatchObject({ name: 'docs/', kind: 'folder', method: 'store', flags: 0 });
    expect(checkpoints[3]!.flags & 0x0800).toBe(0x0800);
  });

  it('accepts a ReadableStream and cancels it when aborted mid-entry', async () => {
    const controller = new AbortController();
    let cancelled = false;
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulls++;
        if (pulls === 3) controller.abort();
        c.enqueue(new Uint8Array(1000));
      },
      cancel() {
        cancelled = true;
      },
    });
    const writer = createZipWriter({ sink: createMemorySink(), signal: controller.signal });
    await expect(writer.addEntry({ name: 'x', kind: 'file', modified: 0, method: 'store' }, stream)).rejects.toThrow();
    expect(cancelled).toBe(true);
    await expect(writer.finish()).rejects.toThrow(/aborted|earlier entry/i);
  });

  it('rejects a size that differs from the data with size-mismatch', async () => {
    const writer = createZipWriter({ sink: createMemorySink() });
    const error = await writer
      .addEntry({ name: 'x', kind: 'file', modified: 0, method: 'store', size: 10 }, chunks(text('short')))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('size-mismatch');
  });

  it('stays usable after refusing an entry that wrote nothing', async () => {
    const sink = createMemorySink();
    const writer = createZipWriter({ sink });
    await expect(writer.addEntry({ name: '../..', kind: 'file', modified: 0, method: 'store' })).rejects.toThrow(
      /Unusable/,
    );
    await expect(
      writer.addEntry({ name: 'd', kind: 'folder', modified: 0, method: 'store' }, [text('x')]),
    ).rejects.toThrow(/no data/);
    await writer.addEntry({ name: 'ok.txt', kind: 'file', modified: 0, method: 'store' }, [text('ok')]);
    await writer.finish();
    expect(Object.keys(unzipSync(sink.bytes()))).toEqual(['ok.txt']);
  });

  it('stops reading as soon as a source sends more than its announced size', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield new Uint8Array(100);
      }
    }
    const writer = createZipWriter({ sink: createMemorySink() });
    const error = await writer
      .addEntry({ name: 'x', kind: 'file', modified: 0, method: 'deflate', size: 250 }, endless())
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('size-mismatch');
    expect(pulled).toBe(3);
  });

  it('refuses concurrent entries', async () => {
    const writer = createZipWriter({ sink: createMemorySink() });
    const first = writer.addEntry({ name: 'a', kind: 'file', modified: 0, method: 'store' }, chunks(text('a')));
    await expect(writer.addEntry({ name: 'b', kind: 'folder', modified: 0, method: 'store' })).rejects.toThrow(
      /one at a time/,
    );
    await first;
  });

  it('batches small writes: one sink write per small entry', async () => {
    const sink = createMemorySink();
    const writer = createZipWriter({ sink });
    for (let i = 0; i < 50; i++) {
      await writer.addEntry(
        { name: `f${i}`, kind: 'file', modified: 0, method: 'store' },
        chunks(text('a'), text('b'), text('c')),
      );
    }
    expect(sink.writes).toBe(50);
  });

  it('with flushEachEntry false, batches entries until flush(), then every checkpoint is durable', async () => {
    const sink = createMemorySink();
    const writer = createZipWriter({ sink, flushEachEntry: false });
    let last;
    for (let i = 0; i < 20; i++) {
      last = await writer.addEntry({ name: `f${i}`, kind: 'file', modified: 0, method: 'store' }, chunks(text('abc')));
    }
    expect(sink.writes).toBe(0);
    await writer.flush();
    expect(sink.writes).toBe(1);
    expect(sink.bytes().length).toBe(last!.end);
    await writer.finish();
    expect(Object.keys(unzipSync(sink.bytes())).length).toBe(20);
  });

  it('streams large chunks straight through without copying them into the batch', async () => {
    const seen: Uint8Array[] = [];
    const writer = createZipWriter({ sink: { write: async (chunk) => void seen.push(chunk) } });
    const big = new Uint8Array(512 * 1024).fill(7);
    await writer.addEntry({ name: 'big', kind: 'file', modified: 0, method: 'store' }, chunks(big, big));
    expect(seen.filter((chunk) => chunk === big).length).toBe(2);
  });

  it('resumes from checkpoints: same bytes as an uninterrupted run', async () => {
    const whole = await writeAll();
    // First run: two entries finish, the third is cut off mid-stream.
    const sink = createMemorySink();
    const controller = new AbortController();
    const first = createZipWriter({ sink, signal: controller.signal });
    for (const [entry, data] of ENTRIES.slice(0, 3)) await first.addEntry(entry, data && chunks(data));
    const saved = JSON.parse(JSON.stringify(first.entries.slice(0, 2)));
    // The restarted job truncates the spool to the last checkpoint's end and continues.
    sink.truncate(saved[1].end);
    const resumed = createZipWriter({ sink, entries: saved });
    expect(resumed.offset).toBe(saved[1].end);
    for (const [entry, data] of ENTRIES.slice(2)) await resumed.addEntry(entry, data && chunks(data));
    const { length } = await resumed.finish();
    expect(length).toBe(whole.length);
    expect(sink.bytes()).toEqual(whole.bytes);
  });

  it('resume keeps renaming duplicates where the first run left off', async () => {
    const sink = createMemorySink();
    const first = createZipWriter({ sink });
    await first.addEntry({ name: 'a.txt', kind: 'file', modified: 0, method: 'store' }, chunks(text('1')));
    const resumed = createZipWriter({ sink, entries: first.entries });
    const second = await resumed.addEntry(
      { name: 'a.txt', kind: 'file', modified: 0, method: 'store' },
      chunks(text('2')),
    );
    expect(second.name).toBe('a (1).txt');
    await resumed.finish();
    expect(Object.keys(unzipSync(sink.bytes()))).toEqual(['a.txt', 'a (1).txt']);
  });

  it('refuses a resume offset that does not match the last checkpoint', async () => {
    const { checkpoints } = await writeAll();
    expect(() => createZipWriter({ sink: createMemorySink(), entries: checkpoints, offset: 5 })).toThrow(
      /Resume offset/,
    );
  });

  it('writes ZIP64 end records beyond 65,534 entries and fflate still reads it', async () => {
    const sink = createMemorySink();
    const writer = createZipWriter({ sink });
    for (let i = 0; i < 65_536; i++)
      await writer.addEntry({ name: `${i}`, kind: 'folder', modified: 0, method: 'store' });
    const { length } = await writer.finish();
    const bytes = sink.bytes();
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getUint32(length - 22, true)).toBe(0x06054b50);
    expect(view.getUint16(length - 22 + 10, true)).toBe(0xffff);
    expect(view.getUint32(length - 42, true)).toBe(0x07064b50);
    const zip64End = Number(view.getBigUint64(length - 42 + 8, true));
    expect(view.getUint32(zip64End, true)).toBe(0x06064b50);
    expect(Number(view.getBigUint64(zip64End + 32, true))).toBe(65_536);
    expect(Object.keys(unzipSync(bytes)).length).toBe(65_536);
  }, 60_000);
});
