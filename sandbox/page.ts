import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import type { App } from './context';
import { sendText } from './http';
import { mimeType } from './mime';

/** SPA routes that answer with index.html (the real app's router paths we reproduce). */
const SPA_ROUTES = new Set(['/home', '/session', '/tasks']);

/** Shown while `sandbox/page/build.ts` (owned by the page helper) is absent or failed. */
const PLACEHOLDER = `<!doctype html><html><head><meta charset="utf-8"><title>Cloudreve Sandbox</title></head>
<body><div id="app-loader"></div><div id="root"><p>Cloudreve sandbox: the stand-in web page is not built.</p></div></body></html>`;

let built: Promise<string | null> | null = null;

/** Where the page comes from: the page helper's build (default), a fixed folder, or the placeholder. */
export type PageSource = 'build' | 'placeholder' | { dir: string };

/**
 * Directory of the built stand-in page, or null. Loaded lazily through a dynamic import so the
 * sandbox runs (with a placeholder) before sandbox/page exists.
 */
function loadStandInPage(): Promise<string | null> {
  built ??= (async () => {
    try {
      const specifier = new URL('./page/build.ts', import.meta.url).href;
      const mod = (await import(/* @vite-ignore */ specifier)) as { ensurePageBuilt?: () => Promise<string> };
      return mod.ensurePageBuilt ? await mod.ensurePageBuilt() : null;
    } catch (err) {
      console.warn(`[sandbox] stand-in page unavailable, serving a placeholder: ${(err as Error).message}`);
      return null;
    }
  })();
  return built;
}

/** Paths the Cloudreve backend keeps for itself; everything else is the web app (BE `middleware/frontend.go`). */
const BACKEND_PATHS = /^\/(api|dav|f|s)(\/|$)/;

/**
 * A web-app build given as a folder (e.g. the real cloudreve/frontend, built locally and never
 * committed): any file it has, else its index.html, as Cloudreve's own SPA handler does.
 */
async function serveWebApp(dir: string, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  const file = normalize(join(dir, decodeURIComponent(path)));
  if (!file.startsWith(dir + sep) && file !== dir) return (sendText(res, 404, '404 page not found'), true);
  const asset = await readFile(file).catch(() => null);
  // A missing asset is a 404; any other missing path is an app route: index.html, like the backend's SPA fallback.
  if (!asset && path.startsWith('/assets/')) return (sendText(res, 404, '404 page not found'), true);
  const data = asset ?? (await readFile(join(dir, 'index.html')));
  const type = asset ? mimeType(path) : 'text/html; charset=utf-8';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': data.length, 'Cache-Control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : data);
  return true;
}

const MANIFEST = { name: 'Cloudreve', short_name: 'Cloudreve', start_url: '/home', display: 'standalone', icons: [] };

/** Serves `/`, the SPA routes, `/assets/*` and `/manifest.json`; false when the path is not ours. */
export async function handlePage(
  app: App,
  source: PageSource,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = url.pathname;
  // The backend answers /manifest.json itself (BE routers/router.go `Manifest`), web-app build or not.
  if (path === '/manifest.json') {
    const body = JSON.stringify({ ...MANIFEST, name: app.config.siteTitle });
    res.writeHead(200, { 'Content-Type': 'application/manifest+json' }).end(body);
    return true;
  }
  if (typeof source === 'object' && !BACKEND_PATHS.test(path)) return serveWebApp(source.dir, req, res, path);
  if (path === '/') {
    res.writeHead(302, { Location: '/home' }).end();
    return true;
  }
  if (!SPA_ROUTES.has(path) && !path.startsWith('/assets/')) return false;
  const dir = source === 'build' ? await loadStandInPage() : source === 'placeholder' ? null : source.dir;
  if (SPA_ROUTES.has(path)) {
    const html = dir ? await readFile(join(dir, 'index.html')) : Buffer.from(PLACEHOLDER);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': html.length });
    res.end(req.method === 'HEAD' ? undefined : html);
    return true;
  }
  const file = dir ? normalize(join(dir, decodeURIComponent(path))) : null;
  const data = file && file.startsWith(dir + sep) ? await readFile(file).catch(() => null) : null;
  if (!data) {
    sendText(res, 404, '404 page not found');
    return true;
  }
  res.writeHead(200, { 'Content-Type': mimeType(path), 'Content-Length': data.length, 'Cache-Control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : data);
  return true;
}
