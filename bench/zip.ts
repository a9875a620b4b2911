/**
 * Throughput of our zip writer (lib/zip) against Info-ZIP `zip` with the same
 * compression choices, on a generated data set of incompressible "media" and
 * compressible text. `benchZip` returns the numbers for BENCHMARKS.md;
 * `npx tsx bench/zip.ts [dataDir] [outDir]` prints them as a table.
 */
import { execFile } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { nodeDeflater } from '../cli/node-deflate';
import type { SourceEntry } from '../lib/archive/types';
import { zipEntries } from '../lib/archive/zip-entries';
import { DEFAULT_LEVEL } from '../lib/zip/deflate';
import type { CompressionPolicy } from '../lib/zip/method';
import { createZipWriter } from '../lib/zip/writer';
import { startBrowserZip } from './browser-zip';

const run = promisify(execFile);

export interface BenchResult {
  tool: string;
  /** Wall-clock seconds to write the archive (reading the input included). */
  seconds: number;
  inputBytes: number;
  outputBytes: number;
  /** Input MiB per second. */
  mibPerSecond: number;
  /** `unzip -t` found no errors. */
  valid: boolean;
}

interface InputEntry {
  path: string;
  name: string;
  kind: 'file' | 'folder';
  size: number;
  modified: number;
}

const STORE_SUFFIXES = [
  '.jpg',
  '.jpeg',
  '.png',
  '.gif',
  '.webp',
  '.mp4',
  '.mkv',
  '.mov',
  '.mp3',
  '.zip',
  '.7z',
  '.gz',
  '.rar',
  '.pdf',
];

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
}

/** Writes the data set: 12 × 8 MiB random media files, 3,000 text files (≈60 MiB), a few empty files and folders. */
export async function generateBenchData(dataDir: string): Promise<void> {
  const next = lcg(7);
  await mkdir(join(dataDir, 'media'), { recursive: true });
  for (let i = 0; i < 12; i++) {
    const bytes = new Uint8Array(8 * 1024 * 1024);
    const words = new Uint32Array(bytes.buffer);
    for (let w = 0; w < words.length; w++) words[w] = next();
    await writeFile(join(dataDir, 'media', `clip-${i}.${i % 2 ? 'mp4' : 'jpg'}`), bytes);
  }
  const vocabulary =
    'the of and to in is that for it as with was on be by this are from or at an which not have but all can'
      .split(' ')
      .concat(Array.from({ length: 400 }, (_, i) => `word${(i * 7919) % 10007}`));
  for (let d = 0; d < 30; d++) {
    const folder = join(dataDir, 'text', `chapter ${d}`);
    await mkdir(folder, { recursive: true });
    for (let f = 0; f < 100; f++) {
      const length = 2000 + (next() % 38000);
      let text = '';
      while (text.length < length) text += vocabulary[next() % vocabulary.length] + (next() % 13 ? ' ' : '.\n');
      await writeFile(join(folder, `note-${f}.${['txt', 'json', 'ts', 'md'][f % 4]}`), text);
    }
  }
  await mkdir(join(dataDir, 'empty', 'nested'), { recursive: true });
  await writeFile(join(dataDir, 'empty', 'zero.txt'), '');
}

async function walk(root: string, dir = root, out: InputEntry[] = []): Promise<InputEntry[]> {
  const children = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const child of children) {
    const path = join(dir, child.name);
    const info = await stat(path);
    const name = relative(root, path).split('\\').join('/');
    if (child.isDirectory()) {
      out.push({ path, name, kind: 'folder', size: 0, modified: info.mtimeMs });
      await walk(root, path, out);
    } else {
      out.push({ path, name, kind: 'file', size: info.size, modified: info.mtimeMs });
    }
  }
  return out;
}

async function isValid(zipPath: string): Promise<boolean> {
  try {
    await run('unzip', ['-tqq', zipPath], { maxBuffer: 64 * 1024 * 1024 });
    return true;
  } catch {
    return false;
  }
}

/**
 * The source side for local files: small files in one synchronous read, large
 * ones streamed in 1 MiB chunks. Sync reads for small files because Node's
 * promise-based open/fstat/read/close round trips through the thread pool cost
 * more than the zip work itself (profiled: mostly idle), and Info-ZIP reads
 * synchronously too.
 */
async function openLocal(entry: SourceEntry): Promise<ReadableStream<Uint8Array>> {
  if (entry.size <= 4 * 1024 * 1024) {
    const bytes = readFileSync(entry.ref);
    return new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
  }
  return Readable.toWeb(createReadStream(entry.ref, { highWaterMark: 1024 * 1024 })) as ReadableStream<Uint8Array>;
}

async function* sourceEntries(entries: InputEntry[]): AsyncGenerator<SourceEntry> {
  for (const entry of entries) yield { ...entry, ref: entry.path };
}

/** Our engine's zip stage as the job runs it (lib/archive/zip-entries.ts): read-ahead, prepared small entries, streamed large ones. */
async function ours(entries: InputEntry[], zipPath: string, policy: CompressionPolicy): Promise<number> {
  const deflater = nodeDeflater;
  const handle = await open(zipPath, 'w');
  try {
    const writer = createZipWriter({
      sink: { write: async (chunk) => void (await handle.write(chunk)) },
      level: policy.level,
      flushEachEntry: false,
      deflater,
    });
    const signal = new AbortController().signal;
    const written = zipEntries(sourceEntries(entries), { writer, open: openLocal, policy, deflater, signal });
    for await (const entry of written) if (!entry) throw new Error('a bench file vanished');
    return (await writer.finish()).length;
  } finally {
    await handle.close();
  }
}

async function infoZip(dataDir: string, zipPath: string, args: string[]): Promise<number> {
  await run('zip', ['-q', '-r', ...args, zipPath, '.'], { cwd: dataDir });
  return (await stat(zipPath)).size;
}

export interface ZipBench {
  results: BenchResult[];
  inputBytes: number;
  /** The breakdown of the Chromium rows, when they ran. */
  chromium?: {
    version: string;
    /** 'auto, level 6' with the archive discarded instead of spooled. */
    autoDiscardSeconds: number;
    /** Writing `inputBytes` into an OPFS spool segment, nothing else. */
    spoolSeconds: number;
  };
}

/** Runs per row; the table shows the median. */
const RUNS = 3;

/** One compression choice, made the same way by every writer. */
interface Choice {
  label: string;
  policy: CompressionPolicy;
  infoZip: string[];
}

/**
 * Runs every writer once per choice over `dataDir` (generated there first if
 * empty), writing archives into `outDir`: our engine in Node (node:zlib), the
 * same engine in Chromium as the extension runs it (when `browser` is given),
 * and Info-ZIP.
 */
export async function benchZip(dataDir: string, outDir: string, withBrowser = true): Promise<ZipBench> {
  await mkdir(outDir, { recursive: true });
  if ((await readdir(dataDir).catch(() => [])).length === 0) await generateBenchData(dataDir);
  const entries = await walk(dataDir);
  const inputBytes = entries.reduce((sum, entry) => sum + entry.size, 0);
  const storeList = STORE_SUFFIXES.join(':');
  const choices: Choice[] = [
    { label: 'store', policy: { mode: 'store', level: 6 }, infoZip: ['-0'] },
    { label: 'auto, level 6', policy: { mode: 'auto', level: 6 }, infoZip: ['-6', '-n', storeList] },
    { label: 'auto, level 1', policy: { mode: 'auto', level: 1 }, infoZip: ['-1', '-n', storeList] },
    { label: 'deflate all, level 6', policy: { mode: 'deflate', level: 6 }, infoZip: ['-6'] },
  ];
  /** Median of RUNS runs: this VM's timings wander by ±30 % from one run to the next. */
  const measure = async (
    tool: string,
    write: (zipPath: string) => Promise<{ seconds: number; length: number }>,
  ): Promise<BenchResult> => {
    const zipPath = join(outDir, 'bench.zip');
    const times: number[] = [];
    let length = 0;
    let valid = true;
    for (let run = 0; run < RUNS; run++) {
      await rm(zipPath, { force: true });
      const result = await write(zipPath);
      times.push(result.seconds);
      length = result.length;
      valid &&= (await stat(zipPath)).size === length && (await isValid(zipPath));
    }
    await rm(zipPath, { force: true });
    const seconds = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    return { tool, seconds, inputBytes, outputBytes: length, mibPerSecond: inputBytes / 1048576 / seconds, valid };
  };
  const timed = async (write: () => Promise<number>) => {
    const started = performance.now();
    const length = await write();
    return { seconds: (performance.now() - started) / 1000, length };
  };

  // Node and Info-ZIP first, with no browser running beside them; then Chromium alone.
  // One untimed pass each, so no row pays for JIT warm-up and a cold page cache.
  await ours(entries, join(outDir, 'warm-up.zip'), { mode: 'store', level: 6 });
  const rows = new Map<Choice, BenchResult[]>();
  for (const choice of choices) {
    rows.set(choice, [
      await measure(`${choice.label}: ours, Node (node:zlib)`, (p) => timed(() => ours(entries, p, choice.policy))),
      await measure(`${choice.label}: Info-ZIP zip ${choice.infoZip.join(' ')} -r`, (p) =>
        timed(() => infoZip(dataDir, p, choice.infoZip)),
      ),
    ]);
  }
  let chromium: ZipBench['chromium'];
  if (withBrowser) {
    const browser = await startBrowserZip(entries.map((entry) => ({ ...entry, ref: entry.path })));
    try {
      await browser.run({ mode: 'auto', level: 6 }, join(outDir, 'warm-up.zip'));
      for (const choice of choices) {
        const { mode, level } = choice.policy;
        const engine = mode === 'store' ? 'OPFS' : level === DEFAULT_LEVEL ? 'CompressionStream' : 'fflate';
        const row = await measure(`${choice.label}: ours, Chromium (${engine})`, (p) => browser.run(choice.policy, p));
        rows.get(choice)!.splice(1, 0, row);
      }
      // Where Chromium's time goes: the zip work alone, and the OPFS spool alone.
      chromium = {
        version: browser.version,
        autoDiscardSeconds: (await browser.runDiscarding({ mode: 'auto', level: 6 })).seconds,
        spoolSeconds: await browser.spoolWrite(inputBytes),
      };
    } finally {
      await browser.close();
    }
  }
  await rm(join(outDir, 'warm-up.zip'), { force: true });
  return { results: [...rows.values()].flat(), inputBytes, chromium };
}

/** The results as Markdown: the table, then where Chromium's time goes. */
export function formatBenchTable({ results, inputBytes, chromium }: ZipBench): string {
  const mib = (bytes: number) => (bytes / 1048576).toFixed(1);
  const rows = results.map(
    (r) =>
      `| ${r.tool} | ${r.seconds.toFixed(2)} s | ${r.mibPerSecond.toFixed(1)} | ${mib(r.outputBytes)} | ${r.valid ? 'yes' : 'NO'} |`,
  );
  const lines = [
    `Input: ${mib(inputBytes)} MiB`,
    '',
    `| Writer | Time (median of ${RUNS}) | MiB/s | Out MiB | unzip -t |`,
    '|---|---|---|---|---|',
    ...rows,
  ];
  if (chromium) {
    lines.push(
      '',
      `Chromium ${chromium.version}, headless, the same modules as the extension's service worker. ` +
        `Where its time goes: the "auto, level 6" zip work alone (archive discarded) takes ` +
        `${chromium.autoDiscardSeconds.toFixed(2)} s; writing ${mib(inputBytes)} MiB into an OPFS spool segment ` +
        `and nothing else takes ${chromium.spoolSeconds.toFixed(2)} s ` +
        `(${(inputBytes / 1048576 / chromium.spoolSeconds).toFixed(0)} MiB/s), the floor of the "store" row. ` +
        'A service worker can only write OPFS through `createWritable()` (each write a round trip to the ' +
        'browser process); the fast `createSyncAccessHandle()` exists only in dedicated workers.',
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dataDir = process.argv[2] ?? join(tmpdir(), 'zip-bench-data');
  const outDir = process.argv[3] ?? (await mkdtemp(join(tmpdir(), 'zip-bench-out-')));
  console.log(formatBenchTable(await benchZip(dataDir, outDir)));
  if (!process.argv[3]) await rm(outDir, { recursive: true, force: true });
}
