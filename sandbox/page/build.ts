import { readdirSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const pageDir = fileURLToPath(new URL('.', import.meta.url));
const distDir = join(pageDir, 'dist');

/** Newest mtime (ms) of the page sources: index.html, configs and src/**. */
function newestSourceMtime(dir = pageDir): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // dist, dist.building-<pid> (in-flight builds), tests and docs do not affect the bundle.
    if (entry.name.startsWith('dist') || entry.name === 'node_modules' || entry.name.endsWith('.md')) continue;
    const full = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestSourceMtime(full) : statSync(full).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

function builtMtime(): number {
  try {
    return statSync(join(distDir, 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
}

/** Builds the stand-in page with vite into sandbox/page/dist. */
export async function buildPage(): Promise<string> {
  // Build beside dist and swap it in, so a concurrent build in another test worker
  // never serves a half-emptied directory.
  const tmp = join(pageDir, `dist.building-${process.pid}-${Date.now()}`);
  try {
    await build({ configFile: join(pageDir, 'vite.config.ts'), build: { outDir: tmp, emptyOutDir: true } });
    await rm(distDir, { recursive: true, force: true });
    await rename(tmp, distDir).catch((err: NodeJS.ErrnoException) => {
      // Another process swapped in its (identical) build first.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return distDir;
}

let pending: Promise<string> | undefined;

/** Returns the absolute dist dir, building first when it is missing or older than the sources. */
export function ensurePageBuilt(): Promise<string> {
  if (builtMtime() > newestSourceMtime()) return Promise.resolve(distDir);
  pending ??= buildPage().finally(() => (pending = undefined));
  return pending;
}

// `npx tsx sandbox/page/build.ts` forces a build.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = await buildPage();
  console.log(`built ${dir}`);
}
