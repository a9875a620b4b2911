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
import { chooseMethod, type CompressionPolicy } from '../lib/zip/method';
import { createZipWriter } from '../lib/zip/writer';

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
 * Small files in one synchronous read, large ones streamed in 1 MiB chunks.
 * Sync reads for small files because Node's promise-based open/fstat/read/close
 * round trips through the thread pool cost more than the zip work itself
 * (profiled: mostly idle), and Info-ZIP reads synchronously too.
 */
function readInput(entry: InputEntry): AsyncIterable<Uint8Array> | Uint8Array[] {
  if (entry.size <= 4 * 1024 * 1024) return [readFileSync(entry.path)];
  return createReadStream(entry.path, { highWaterMark: 1024 * 1024 });
}

async function ours(
  entries: InputEntry[],
  zipPath: string,
  policy: CompressionPolicy,
  flushEachEntry = false,
): Promise<number> {
  const handle = await open(zipPath, 'w');
  try {
    const writer = createZipWriter({
      sink: { write: async (chunk) => void (await handle.write(chunk)) },
      level: policy.level,
      flushEachEntry,
    });
    for (const entry of entries) {
      const method = entry.kind === 'file' ? chooseMethod(entry.name, undefined, policy) : 'store';
      const data = entry.kind === 'file' ? readInput(entry) : undefined;
      await writer.addEntry({ ...entry, method }, data);
    }
    return (await writer.finish()).length;
  } finally {
    await handle.close();
  }
}

async function infoZip(dataDir: string, zipPath: string, args: string[]): Promise<number> {
  await run('zip', ['-q', '-r', ...args, zipPath, '.'], { cwd: dataDir });
  return (await stat(zipPath)).size;
}

/** Runs every writer once over `dataDir` (generated there first if empty), writing archives into `outDir`. */
export async function benchZip(dataDir: string, outDir: string): Promise<BenchResult[]> {
  await mkdir(outDir, { recursive: true });
  if ((await readdir(dataDir).catch(() => [])).length === 0) await generateBenchData(dataDir);
  const entries = await walk(dataDir);
  const inputBytes = entries.reduce((sum, entry) => sum + entry.size, 0);
  const storeList = STORE_SUFFIXES.join(':');
  const cases: [string, (zipPath: string) => Promise<number>][] = [
    ['ours store', (p) => ours(entries, p, { mode: 'store', level: 6 })],
    ['ours store, flush each entry', (p) => ours(entries, p, { mode: 'store', level: 6 }, true)],
    ['Info-ZIP zip -0 -r', (p) => infoZip(dataDir, p, ['-0'])],
    ['ours auto (level 6)', (p) => ours(entries, p, { mode: 'auto', level: 6 })],
    [`Info-ZIP zip -6 -r -n ${storeList}`, (p) => infoZip(dataDir, p, ['-6', '-n', storeList])],
    ['ours auto (level 1)', (p) => ours(entries, p, { mode: 'auto', level: 1 })],
    [`Info-ZIP zip -1 -r -n ${storeList}`, (p) => infoZip(dataDir, p, ['-1', '-n', storeList])],
    ['ours deflate (level 6)', (p) => ours(entries, p, { mode: 'deflate', level: 6 })],
    ['Info-ZIP zip -6 -r', (p) => infoZip(dataDir, p, ['-6'])],
  ];
  // One untimed pass so the first row does not pay for JIT warm-up and a cold page cache.
  await ours(entries, join(outDir, 'warm-up.zip'), { mode: 'store', level: 6 });
  await rm(join(outDir, 'warm-up.zip'), { force: true });
  const results: BenchResult[] = [];
  for (const [index, [tool, write]] of cases.entries()) {
    const zipPath = join(outDir, `bench-${index}.zip`);
    await rm(zipPath, { force: true });
    const started = performance.now();
    const outputBytes = await write(zipPath);
    const seconds = (performance.now() - started) / 1000;
    results.push({
      tool,
      seconds,
      inputBytes,
      outputBytes,
      mibPerSecond: inputBytes / 1048576 / seconds,
      valid: await isValid(zipPath),
    });
    await rm(zipPath, { force: true });
  }
  return results;
}

/** The results as a Markdown table. */
export function formatBenchTable(results: BenchResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.tool} | ${r.seconds.toFixed(2)} s | ${r.mibPerSecond.toFixed(1)} | ${(r.outputBytes / 1048576).toFixed(1)} | ${r.valid ? 'yes' : 'NO'} |`,
  );
  const input = results[0] ? (results[0].inputBytes / 1048576).toFixed(1) : '0';
  return [
    `Input: ${input} MiB`,
    '',
    '| Writer | Time | MiB/s | Out MiB | unzip -t |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dataDir = process.argv[2] ?? join(tmpdir(), 'zip-bench-data');
  const outDir = process.argv[3] ?? (await mkdtemp(join(tmpdir(), 'zip-bench-out-')));
  const results = await benchZip(dataDir, outDir);
  console.log(formatBenchTable(results));
  if (!process.argv[3]) await rm(outDir, { recursive: true, force: true });
}
