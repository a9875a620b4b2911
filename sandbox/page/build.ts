import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const pageDir = fileURLToPath(new URL('.', import.meta.url));
const distDir = join(pageDir, 'dist');

/** Newest mtime (ms) of the page sources: index.html, configs and src/**. */
function newestSourceMtime(dir = pageDir): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.endsWith('.test.ts')) continue;
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
  await build({ configFile: join(pageDir, 'vite.config.ts') });
  return distDir;
}

/** Returns the absolute dist dir, building first when it is missing or older than the sources. */
export async function ensurePageBuilt(): Promise<string> {
  if (builtMtime() > newestSourceMtime()) return distDir;
  return buildPage();
}

// `npx tsx sandbox/page/build.ts` forces a build.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = await buildPage();
  console.log(`built ${dir}`);
}
