import { describe, expect, it, vi } from 'vitest';
import type { SpoolAnswer, SpoolCall } from './port-protocol';
import { openPortSegment } from './port-segment';

/** A stand-in for the spool worker (lib/spool/sync-host.ts needs OPFS): keeps the bytes, answers like it. */
function fakeWorker(options: { failAtWrite?: number } = {}) {
  const channel = new MessageChannel();
  const port = channel.port2;
  const received: Uint8Array[] = [];
  const calls: string[] = [];
  let writes = 0;
  let held = false;
  const answer = (message: SpoolAnswer) => port.postMessage(message);
  port.onmessage = (event: MessageEvent<SpoolCall>) => {
    const call = event.data;
    calls.push(call.type);
    if (call.type === 'write') {
      writes++;
      if (writes === options.failAtWrite)
        return answer({ type: 'failed', name: 'QuotaExceededError', message: 'full' });
      received.push(call.chunk);
      if (!held) port.postMessage({ type: 'written', chunk: call.chunk.slice() } satisfies SpoolAnswer);
      return;
    }
    const size = received.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    answer({ type: 'done', size: call.type === 'abort' ? 0 : size });
  };
  return {
    port: channel.port1,
    received,
    calls,
    /** Stops acknowledging writes, as a busy disk would. */
    hold: () => (held = true),
    close: () => port.close(),
  };
}

const MiB = 1024 * 1024;

describe('a segment written by the spool worker over a port', () => {
  it('sends each byte once, in 4 MiB batches of its own, and never detaches the caller’s buffer', async () => {
    const worker = fakeWorker();
    const segment = await openPortSegment(worker.port, 'job', 'segment-00000');
    const source = new Uint8Array(9 * MiB).map((_, i) => i % 251);
    // Views into one big buffer, as fetch bodies and the zip writer's batches are.
    for (let at = 0; at < source.length; at += 700 * 1024) await segment.write(source.subarray(at, at + 700 * 1024));
    expect(await segment.commit()).toBe(source.length);
    expect(source.byteLength).toBe(9 * MiB);
    expect(worker.received.map((chunk) => chunk.byteLength)).toEqual([4 * MiB, 4 * MiB, MiB]);
    // Each batch travelled alone: its buffer holds exactly its own bytes.
    expect(worker.received.every((chunk) => chunk.buffer.byteLength === chunk.byteLength)).toBe(true);
    expect(Buffer.concat(worker.received).equals(Buffer.from(source))).toBe(true);
    expect(worker.calls).toEqual(['open', 'write', 'write', 'write', 'commit']);
    worker.close();
  });

  it('keeps at most two batches unanswered (memory stays bounded when the disk is slow)', async () => {
    const worker = fakeWorker();
    const segment = await openPortSegment(worker.port, 'job', 'segment-00000');
    worker.hold();
    let settled = false;
    const writing = (async () => {
      for (let i = 0; i < 4; i++) await segment.write(new Uint8Array(4 * MiB));
    })().then(() => (settled = true));
    const sent = () => worker.calls.filter((call) => call === 'write').length;
    await vi.waitFor(() => expect(sent()).toBe(2));
    // More turns of the event loop change nothing: the third batch waits for an answer.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent()).toBe(2);
    expect(settled).toBe(false);
    void writing;
    worker.close();
  });

  it('fails the next write with the storage error’s own name (QuotaExceededError stays a disk error)', async () => {
    const worker = fakeWorker({ failAtWrite: 2 });
    const segment = await openPortSegment(worker.port, 'job', 'segment-00000');
    const write = async () => {
      for (let i = 0; i < 8; i++) await segment.write(new Uint8Array(4 * MiB));
    };
    await expect(write()).rejects.toMatchObject({ name: 'QuotaExceededError' });
    await expect(segment.commit()).rejects.toMatchObject({ name: 'QuotaExceededError' });
    worker.close();
  });
});
