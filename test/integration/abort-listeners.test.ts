/**
 * Issue 14: the CLI warned "MaxListenersExceededWarning: 1501 abort listeners
 * added to [AbortSignal]" on a 20,000-file job. Node's fetch keeps its 'abort'
 * listener on the signal it was given until the Request is garbage-collected,
 * so a long-lived signal handed to every download grows with the file count.
 * This runs the zip engine over a few thousand files from nginx and watches
 * every AbortSignal the job touches: none may hold more listeners than the
 * files in flight, and the job's own signal must end with none.
 */
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipEntries } from '@/lib/archive/zip-entries';
import type { SourceEntry } from '@/lib/archive/types';
import { createDavClient } from '@/lib/webdav/client';
import { createDavSource } from '@/lib/webdav/source';
import { fflateDeflater } from '@/lib/zip/deflate';
import { createZipWriter } from '@/lib/zip/writer';
import { createMemorySink } from '@/lib/zip/testing/memory-sink';
import { DAV_PASSWORD, DAV_USER, seedTree, startNginx, type DavServer } from '../../tools/dav-servers';

const SMALL_FILES = 3000;
const FOLDERS = 6;
/** Larger than the read-ahead takes whole (4 MiB stored): these stream through the writer. */
const LARGE_FILES = 3;
const LARGE_SIZE = 5 * 1024 * 1024;
/**
 * Far above what the files in flight need (16 read ahead plus one streaming,
 * a listener or two each) and far below the file count.
 */
const BOUND = 100;

describe('abort listeners during a many-file job (nginx)', () => {
  let server: DavServer;

  beforeAll(async () => {
    server = await startNginx();
    const tree: Record<string, string | Uint8Array> = {};
    for (let i = 0; i < SMALL_FILES; i++) tree[`many/d${i % FOLDERS}/f${i}.txt`] = `file ${i}\n`;
    for (let i = 0; i < LARGE_FILES; i++) tree[`many/large${i}.bin`] = new Uint8Array(LARGE_SIZE).fill(i);
    seedTree(server.dataDir, tree);
  }, 120_000);
  afterAll(async () => server?.stop());

  it('keeps listeners per signal bounded by the files in flight, and none on the job signal afterwards', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => {
      if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning.message);
    };
    process.on('warning', onWarning);
    let most = 0;
    const original = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (this: EventTarget, ...args) {
      original.apply(this, args);
      if (this instanceof AbortSignal && args[0] === 'abort')
        most = Math.max(most, getEventListeners(this, 'abort').length);
    } as typeof original;

    const job = new AbortController();
    let files = 0;
    try {
      const client = createDavClient({ url: server.url, username: DAV_USER, password: DAV_PASSWORD });
      const source = createDavSource({ client, selection: ['many'] });
      const writer = createZipWriter({ sink: createMemorySink() });
      const written = zipEntries(source.list(job.signal) as AsyncIterable<SourceEntry>, {
        writer,
        open: source.open,
        policy: { mode: 'store', level: 6 },
        deflater: fflateDeflater,
        signal: job.signal,
      });
      for await (const checkpoint of written) if (checkpoint?.kind === 'file') files += 1;
      await writer.finish();
    } finally {
      EventTarget.prototype.addEventListener = original;
      process.off('warning', onWarning);
    }

    expect(files).toBe(SMALL_FILES + LARGE_FILES);
    expect({ most, left: getEventListeners(job.signal, 'abort').length, warnings }).toEqual({
      most: expect.any(Number),
      left: 0,
      warnings: [],
    });
    expect(most).toBeLessThan(BOUND);
  }, 600_000);

  it('leaves no listener on the job signal after listing the folders', async () => {
    // The listing's PROPFINDs got the job's signal itself, so each kept a listener on it until its
    // Request was collected: the full run above once ended with 4 of the 7 still there.
    const job = new AbortController();
    const client = createDavClient({ url: server.url, username: DAV_USER, password: DAV_PASSWORD });
    const source = createDavSource({ client, selection: ['many'] });
    let listed = 0;
    for await (const entry of source.list(job.signal)) if (entry.kind === 'file') listed += 1;
    expect({ listed, left: getEventListeners(job.signal, 'abort').length }).toEqual({
      listed: SMALL_FILES + LARGE_FILES,
      left: 0,
    });
  }, 600_000);
});
