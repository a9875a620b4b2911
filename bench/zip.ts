/**
 * P1, the zip stage: our zip writer (lib/zip) against Info-ZIP `zip` with the
 * same compression choices, on local data (bench/datasets.ts). `benchZip`
 * returns the numbers for BENCHMARKS.md.
 */
import { execFile } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { nodeDeflater } from '../cli/node-deflate';
import type { SourceEntry } from '../lib/archive/types';
import { zipEntries } from '../lib/archive/zip-entries';
import { nativeServes } from '../lib/zip/deflate';
import type { CompressionPolicy } from '../lib/zip/method';
import { createZipWriter } from '../lib/zip/writer';
import { startBrowserZip, type BrowserZip } from './browser-zip';
import { MEDIA_SUFFIXES } from './datasets';
import { startFirefoxZip } from './firefox-zip';

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
  results: ChoiceResult[];
  inputBytes: number;
  /** The breakdown of the Chromium rows, when they ran. */
  chromium?: BrowserBreakdown;
  /** The same for the Firefox rows. */
  firefox?: BrowserBreakdown;
}

/** Where a browser's time goes, beside its rows. */
export interface BrowserBreakdown {
  version: string;
  /** 'auto, level 6' with the archive discarded instead of spooled. */
  autoDiscardSeconds: number;
  /** Writing `inputBytes` into an OPFS spool segment, nothing else. */
  spoolSeconds: number;
}

/** The browsers that run the page (bench/browser/) beside Node and Info-ZIP. */
export interface ZipBrowsers {
  chromium?: boolean;
  firefox?: boolean;
}

/** One timed write of an archive. */
interface Try {
  seconds: number;
  length: number;
  /** The file is as long as reported and `unzip -t` passed. */
  valid: boolean;
}

/** One compression choice, made the same way by every writer. */
export interface Choice {
  label: string;
  policy: CompressionPolicy;
  infoZip: string[];
}

const storeList = MEDIA_SUFFIXES.join(':');
export const CHOICES = {
  store: { label: 'store', policy: { mode: 'store', level: 6 }, infoZip: ['-0'] },
  auto6: { label: 'auto, level 6', policy: { mode: 'auto', level: 6 }, infoZip: ['-6', '-n', storeList] },
  auto1: { label: 'auto, level 1', policy: { mode: 'auto', level: 1 }, infoZip: ['-1', '-n', storeList] },
  deflate6: { label: 'deflate all, level 6', policy: { mode: 'deflate', level: 6 }, infoZip: ['-6'] },
} satisfies Record<string, Choice>;

/** The three writers' results for one choice. */
export interface ChoiceResult {
  choice: Choice;
  node: BenchResult;
  infoZip: BenchResult;
  chromium?: BenchResult;
  firefox?: BenchResult;
}

/**
 * Runs every writer `runs` times per choice over `dataDir`, writing archives
 * into `outDir`: our engine in Node (node:zlib), the same engine in Chromium
 * and in Firefox as the extension runs it (the ones `browsers` asks for), and Info-ZIP.
 */
export async function benchZip(
  dataDir: string,
  outDir: string,
  choices: Choice[],
  runs: number,
  browsers: ZipBrowsers = { chromium: true },
): Promise<ZipBench> {
  await mkdir(outDir, { recursive: true });
  const entries = await walk(dataDir);
  const inputBytes = entries.reduce((sum, entry) => sum + entry.size, 0);
  const timed = async (write: () => Promise<number>) => {
    const started = performance.now();
    const length = await write();
    return { seconds: (performance.now() - started) / 1000, length };
  };
  type Write = (zipPath: string) => Promise<{ seconds: number; length: number }>;
  /** One timed write, checked: the length it reported is the file's, and `unzip -t` passes. */
  const once = async (write: Write): Promise<Try> => {
    const zipPath = join(outDir, 'bench.zip');
    await rm(zipPath, { force: true });
    const result = await write(zipPath);
    const valid = (await stat(zipPath)).size === result.length && (await isValid(zipPath));
    await rm(zipPath, { force: true });
    return { ...result, valid };
  };
  const summarise = (tool: string, tries: Try[]): BenchResult => {
    const seconds = tries.map((t) => t.seconds).sort((a, b) => a - b)[Math.floor(tries.length / 2)]!;
    const outputBytes = tries[0]!.length;
    const valid = tries.every((t) => t.valid);
    return { tool, seconds, inputBytes, outputBytes, mibPerSecond: inputBytes / 1048576 / seconds, valid };
  };

  const sources = entries.map((entry) => ({ ...entry, ref: entry.path }));
  let browser: BrowserZip | undefined;
  let firefox: BrowserZip | undefined;
  try {
    browser = browsers.chromium ? await startBrowserZip(sources) : undefined;
    firefox = browsers.firefox ? await startFirefoxZip(sources) : undefined;
    // One untimed pass each, so no row pays for JIT warm-up and a cold page cache.
    await ours(entries, join(outDir, 'warm-up.zip'), { mode: 'store', level: 6 });
    await browser?.run({ mode: 'auto', level: 6 }, join(outDir, 'warm-up.zip'));
    await firefox?.run({ mode: 'auto', level: 6 }, join(outDir, 'warm-up.zip'));
    await rm(join(outDir, 'warm-up.zip'), { force: true });
    // The writers take turns, run after run: on a shared machine whose load drifts over minutes,
    // each writer then sees the same mix of busy and quiet moments (medians of `runs`).
    const tries = choices.map(() => ({
      node: [] as Try[],
      infoZip: [] as Try[],
      chromium: [] as Try[],
      firefox: [] as Try[],
    }));
    for (let run = 0; run < runs; run++) {
      for (const [i, choice] of choices.entries()) {
        const slot = tries[i]!;
        slot.node.push(await once((p) => timed(() => ours(entries, p, choice.policy))));
        slot.infoZip.push(await once((p) => timed(() => infoZip(dataDir, p, choice.infoZip))));
        if (browser) slot.chromium.push(await once((p) => browser!.run(choice.policy, p)));
        if (firefox) slot.firefox.push(await once((p) => firefox!.run(choice.policy, p)));
      }
    }
    const results: ChoiceResult[] = choices.map((choice, i) => {
      const slot = tries[i]!;
      const { mode, level } = choice.policy;
      const engine = mode === 'store' ? 'OPFS' : nativeServes(level) ? 'CompressionStream' : 'fflate';
      return {
        choice,
        node: summarise('ours, Node (node:zlib)', slot.node),
        infoZip: summarise(`Info-ZIP zip ${choice.infoZip.join(' ')} -r`, slot.infoZip),
        chromium: browser ? summarise(`ours, Chromium (${engine})`, slot.chromium) : undefined,
        firefox: firefox ? summarise(`ours, Firefox (${engine})`, slot.firefox) : undefined,
      };
    });
    // Where each browser's time goes: the zip work alone, and the OPFS spool alone.
    const breakdown = async (page: BrowserZip | undefined): Promise<BrowserBreakdown | undefined> =>
      page && {
        version: page.version,
        autoDiscardSeconds: (await page.runDiscarding({ mode: 'auto', level: 6 })).seconds,
        spoolSeconds: await page.spoolWrite(inputBytes),
      };
    return { results, inputBytes, chromium: await breakdown(browser), firefox: await breakdown(firefox) };
  } finally {
    await browser?.close();
    await firefox?.close();
  }
}

/** Every writer's row as Markdown (the detail under the summary). */
export function formatBenchTable({ results, inputBytes, chromium, firefox }: ZipBench, runs: number): string {
  const mib = (bytes: number) => (bytes / 1048576).toFixed(1);
  const rows = results.flatMap(({ choice, ...writers }) =>
    [writers.chromium, writers.firefox, writers.node, writers.infoZip]
      .filter((r) => r !== undefined)
      .map(
        (r) =>
          `| ${choice.label}: ${r.tool} | ${r.seconds.toFixed(2)} s | ${r.mibPerSecond.toFixed(1)} | ${mib(r.outputBytes)} | ${r.valid ? 'yes' : 'NO'} |`,
      ),
  );
  const lines = [
    `Input: ${mib(inputBytes)} MiB`,
    '',
    `| Writer | Time (median of ${runs}) | MiB/s | Out MiB | unzip -t |`,
    '|---|---|---|---|---|',
    ...rows,
  ];
  for (const [name, breakdown] of [
    ['Chromium', chromium],
    ['Firefox', firefox],
  ] as const) {
    if (!breakdown) continue;
    lines.push(
      '',
      `Where ${name}'s time goes: the "auto, level 6" zip work alone (archive discarded) takes ` +
        `${breakdown.autoDiscardSeconds.toFixed(2)} s; writing ${mib(inputBytes)} MiB into an OPFS spool segment ` +
        `and nothing else takes ${breakdown.spoolSeconds.toFixed(2)} s ` +
        `(${(inputBytes / 1048576 / breakdown.spoolSeconds).toFixed(0)} MiB/s).`,
    );
  }
  return lines.join('\n');
}
