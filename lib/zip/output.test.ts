import { describe, expect, it } from 'vitest';
import { createZipOutput } from './output';

/** A sink that keeps every chunk it was handed, as handed. */
function keepingSink() {
  const writes: Uint8Array[] = [];
  return { writes, sink: { write: async (chunk: Uint8Array) => void writes.push(chunk) } };
}

describe('createZipOutput', () => {
  it('hands a download-sized chunk (64 KiB) to the sink as it is, after the bytes pending before it', async () => {
    const { writes, sink } = keepingSink();
    const out = createZipOutput(sink, 0);
    const header = new Uint8Array(30).fill(1);
    const chunk = new Uint8Array(64 * 1024).fill(2);
    await out.push(header);
    await out.push(chunk);
    // A fetch body arrives in chunks of 64–256 KiB (Chromium, nginx on loopback): copying each into
    // a batch of our own only to have the spool copy it again made a second copy and 1 MiB of garbage
    // per MiB archived in the service worker (INTERNALS.md "Zip container").
    expect(writes).toHaveLength(2);
    expect(writes[0]).toEqual(header);
    expect(writes[1]).toBe(chunk);
    expect(out.position).toBe(30 + 64 * 1024);
  });

  it('batches small pieces (headers, small files) into one write', async () => {
    const { writes, sink } = keepingSink();
    const out = createZipOutput(sink, 100);
    for (let i = 0; i < 50; i++) await out.push(new Uint8Array(1000).fill(i));
    expect(writes).toHaveLength(0);
    await out.flush();
    expect(writes).toHaveLength(1);
    expect(writes[0]!.byteLength).toBe(50_000);
    expect(writes[0]![49_999]).toBe(49);
    expect(out.position).toBe(50_100);
  });
});
