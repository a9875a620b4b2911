/**
 * A big archive built in Firefox ESR reaches a WebDAV server. Firefox sent no byte of a request whose
 * body is a Blob made of several OPFS files once it held about 1 GiB (docs/browser-platform.md#firefox-uploads-of-a-blob-of-several-files):
 * the job sat in "uploading" with nginx receiving nothing. 4 × 256 MiB of media (stored) make a spool
 * of several segments just over 1 GiB, uploaded to nginx on loopback as in the benchmark that found it.
 *
 * Run `npx wxt build -b firefox --mv3` first.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hasJobEnded, type Job } from '../../lib/jobs/types';
import { DAV_PASSWORD, DAV_USER, seedTree, startNginx, type DavServer } from '../../tools/dav-servers';
import { openBrowser, sendFrom, type TestBrowser, type TestPage } from '../helpers/any-browser';
import { pythonInspect, unzipTest } from '../integration/zip/helpers';

const MIB = 1024 * 1024;
const FILE_SIZE = 256 * MIB;
const FILES = ['a.mp4', 'b.mp4', 'c.mp4', 'd.mp4'];
const testId = (id: string) => `[data-testid="${id}"]`;

let dav: DavServer;
let browser: TestBrowser;
let control: TestPage;
let serverId: string;
const sourceHashes: Record<string, string> = {};

/** `size` bytes that differ per file and per MiB, without holding random data of that size. */
function media(index: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const block = createHash('sha512');
  for (let mib = 0; mib < size / MIB; mib++) {
    const seed = block.copy().update(`${index}:${mib}`).digest();
    for (let at = mib * MIB; at < (mib + 1) * MIB; at += seed.length) bytes.set(seed, at);
  }
  return bytes;
}

/** Waits for `probe` to give a value; `what` says what was awaited when it never came. */
async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000, what = () => 'a value'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Not seen in ${timeoutMs / 1000} s: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

beforeAll(async () => {
  dav = await startNginx();
  FILES.forEach((name, index) => {
    const bytes = media(index, FILE_SIZE);
    sourceHashes[`media/${name}`] = createHash('sha256').update(bytes).digest('hex');
    seedTree(dav.dataDir, { [`media/${name}`]: bytes });
  });
  browser = await openBrowser('firefox');
  control = await browser.newPage(`${browser.extensionOrigin}/browse.html`, testId('server-select'));
  const options = await browser.newPage(`${browser.extensionOrigin}/options.html`, testId('options'));
  await options.click(testId('show-dav'));
  await options.fill(testId('dav-url'), dav.url);
  await options.fill(testId('dav-user'), DAV_USER);
  await options.fill(testId('dav-password'), DAV_PASSWORD);
  await options.click(testId('dav-submit'));
  serverId = await until(
    async () => (await sendFrom(control, 'listServers')).find((server) => server.kind === 'webdav')?.id,
  );
  await options.close();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dav?.stop();
});

it('uploads a spool of several segments over 1 GiB and the server holds the whole archive', async () => {
  const name = 'big-media.zip';
  const { jobId } = await sendFrom(control, 'startArchive', {
    serverId,
    sources: ['media'],
    name,
    destination: { kind: 'webdav', folder: '' },
    mode: 'browser',
  });
  let last: Job | undefined;
  let sentSeen = 0;
  // Generous: zipping and uploading 1 GiB on a busy 2-core machine; the bug never ends at all.
  await until(
    async () => {
      last = (await sendFrom(control, 'listJobs')).find((job) => job.id === jobId);
      if (last?.kind === 'browser') sentSeen = Math.max(sentSeen, last.progress.uploadSent ?? 0);
      return last !== undefined && hasJobEnded(last) ? last : undefined;
    },
    480_000,
    // Where it stood: the bug left the job in "uploading" with nothing sent.
    () =>
      `the job's end; last seen ${JSON.stringify(last?.kind === 'browser' ? { phase: last.phase, progress: last.progress } : last)}`,
  );
  expect(last?.error).toBeUndefined();
  expect(last?.kind === 'browser' && last.phase).toBe('done');
  const archiveSize = last?.kind === 'browser' ? last.archiveSize : undefined;
  expect(archiveSize).toBeGreaterThan(1024 * MIB);
  expect(sentSeen).toBe(archiveSize);

  const zip = path.join(dav.dataDir, name);
  expect(statSync(zip).size).toBe(archiveSize);
  // Only the archive was added next to the source folder: no temporary upload file left behind.
  expect(readdirSync(dav.dataDir).sort()).toEqual([name, 'media']);
  await unzipTest(zip);
  const { bad, entries } = await pythonInspect(zip);
  expect(bad).toBeNull();
  const files = entries.filter((entry) => !entry.is_dir);
  expect(files.map((entry) => entry.size)).toEqual(FILES.map(() => FILE_SIZE));
  // The bytes, by the entry names the archive gave them (the source folder may be kept as a prefix).
  const { sha256 } = await pythonInspect(
    zip,
    files.map((entry) => entry.name),
  );
  expect(Object.fromEntries(Object.entries(sha256).map(([entry, hash]) => [path.basename(entry), hash]))).toEqual(
    Object.fromEntries(Object.entries(sourceHashes).map(([source, hash]) => [path.basename(source), hash])),
  );
}, 900_000);
