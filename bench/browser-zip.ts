/**
 * Runs the extension's zip stage in real Chromium (bench/browser/main.ts),
 * so BENCHMARKS.md shows what ships, not only the Node engine: the page is
 * built with vite from the same lib/ modules, served on loopback (a secure
 * context: OPFS and CompressionStream) to a browser with a profile on disk, and
 * given the bench data preloaded into memory. Each archive is PUT back to this process and checked with
 * `unzip -t`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import type { SourceEntry } from '../lib/archive/types';
import type { CompressionPolicy } from '../lib/zip/method';
import { chromiumPath } from '../tools/chromium';
import type { BenchEntry, BrowserRun } from './browser/main';

export interface BrowserZip {
  /** Chromium's version string, for the machine section. */
  version: string;
  /** Zips the data set with `policy` in the page; the archive lands at `zipPath`. */
  run(policy: CompressionPolicy, zipPath: string): Promise<BrowserRun>;
  /** The same zip work with the archive discarded: the time without the spool. */
  runDiscarding(policy: CompressionPolicy): Promise<BrowserRun>;
  /** Seconds to write `bytes` into an OPFS spool segment, and nothing else. */
  spoolWrite(bytes: number): Promise<number>;
  close(): Promise<void>;
}

/** What bench/browser/main.ts puts on the page's global object. */
interface Page {
  runZip(entries: BenchEntry[], policy: CompressionPolicy, discard?: boolean): Promise<BrowserRun>;
  spoolWrite(bytes: number): Promise<number>;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

/** The bench page built and served on loopback with the bench data; any browser can open `url`. */
export interface ZipPage {
  url: string;
  /** Wraps the page's globals (bench/browser/main.ts) for a browser that evaluates functions in it. */
  calls(evaluate: PageEvaluate): Omit<BrowserZip, 'version' | 'close'>;
  close(): Promise<void>;
}

/** Runs `fn(arg)` in the page (Playwright's and Puppeteer's `page.evaluate` both fit). */
export type PageEvaluate = <A, R>(fn: (arg: A) => R | Promise<R>, arg: A) => Promise<R>;

/** Builds the page and serves it with the data of `entries` (files under their `ref` paths). */
export async function serveZipPage(entries: SourceEntry[]): Promise<ZipPage> {
  const dist = await mkdtemp(join(tmpdir(), 'cra-bench-page-'));
  await build({
    root: fileURLToPath(new URL('./browser/', import.meta.url)),
    configFile: false,
    logLevel: 'warn',
    build: { outDir: dist, emptyOutDir: true, target: 'es2022' },
  });

  let at = 0;
  const files = entries.filter((entry) => entry.kind === 'file');
  const benchEntries: BenchEntry[] = entries.map((entry) => {
    const placed = { ...entry, at };
    if (entry.kind === 'file') at += entry.size;
    return placed;
  });
  let resultPath = '';

  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (path === '/data/all') {
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(at) });
        for (const file of files) {
          for await (const chunk of createReadStream(file.ref)) {
            if (!response.write(chunk)) await once(response, 'drain');
          }
        }
        response.end();
      } else if (path === '/result' && request.method === 'PUT') {
        await pipeline(request, createWriteStream(resultPath));
        response.end('ok');
      } else {
        const file = normalize(join(dist, path === '/' ? 'index.html' : path));
        if (!file.startsWith(dist)) throw new Error('outside the page');
        const body = await readFile(file);
        response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        response.end(body);
      }
    })().catch(() => {
      response.statusCode = 404;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}/`,
    calls(evaluate) {
      return {
        run: (policy, zipPath) => {
          resultPath = zipPath;
          return evaluate(([list, choice]) => (globalThis as unknown as Page).runZip(list, choice), [
            benchEntries,
            policy,
          ] as const);
        },
        runDiscarding: (policy) =>
          evaluate(([list, choice]) => (globalThis as unknown as Page).runZip(list, choice, true), [
            benchEntries,
            policy,
          ] as const),
        spoolWrite: (bytes) => evaluate((n) => (globalThis as unknown as Page).spoolWrite(n), bytes),
      };
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await rm(dist, { recursive: true, force: true });
    },
  };
}

/** Opens the served page in Chromium. */
export async function startBrowserZip(entries: SourceEntry[]): Promise<BrowserZip> {
  const served = await serveZipPage(entries);
  // A persistent profile on disk, as the extension has: a fresh incognito-like context keeps OPFS in
  // memory, where writes measured 2.5× slower than on disk (sync access handle, 283 MiB: 4.6 s vs 1.8 s).
  const profile = await mkdtemp(join(tmpdir(), 'cra-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), headless: true });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(served.url);
  await page.waitForFunction(() => 'runZip' in globalThis);
  const cdp = await context.newCDPSession(page);
  const { product } = await cdp.send('Browser.getVersion');
  await cdp.detach();

  return {
    version: product.split('/')[1] ?? product,
    ...served.calls(<A, R>(fn: (arg: A) => R | Promise<R>, arg: A) =>
      page.evaluate(fn as (arg: unknown) => R | Promise<R>, arg),
    ),
    async close() {
      await context.close();
      await served.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
