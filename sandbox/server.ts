import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleApi } from './api/router';
import type { SandboxConfig, SandboxConfigInput } from './config';
import { resolveConfig } from './config';
import type { App } from './context';
import { handleDav } from './dav';
import { handleFaults } from './faults';
import type { ExtraFiles } from './fs';
import { createFileStore } from './fs';
import { sendText } from './http';
import type { PageSource } from './page';
import { handlePage } from './page';
import type { SandboxState } from './state';
import { createState, randomString } from './state';
import { createShareStore, shareRedirect } from './shares';
import { handleProviders } from './storage/providers';

/** Options of `startSandbox`. */
export interface SandboxOptions {
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
  config?: SandboxConfigInput;
  /** Extra files seeded into every user's root: relative path → content. */
  extraFiles?: ExtraFiles;
  /** The web page: 'build' (default) builds sandbox/page once; tests may pass a folder or 'placeholder'. */
  page?: PageSource;
  /** Keep the temporary root after `stop()` (for debugging). */
  keepRoot?: boolean;
}

/** A running sandbox. `config` and `state` are live: tests may read and change them. */
export interface Sandbox {
  url: string;
  /** The storage origin of the `onedrive`, `qiniu` and `upyun` policies (sandbox/storage/providers.ts). */
  storageUrl: string;
  config: SandboxConfig;
  state: SandboxState;
  /** Temporary folder holding every user's files (`users/<n>/...`). */
  root: string;
  /** Absolute path of a user's file, e.g. `pathOf('admin@example.com', 'Docs/readme.txt')`. */
  pathOf(email: string, relPath?: string): string;
  /** Calls `listener` with every request the main origin receives (tests: who sent which header); answers the unsubscribe. */
  watchRequests(listener: (req: IncomingMessage) => void): () => void;
  /** Replaces a group's permission bits at runtime (e.g. take `archive_task` away). */
  setGroupPermissions(group: string, bits: number[]): void;
  stop(): Promise<void>;
}

/** Starts the Cloudreve v4 stand-in on 127.0.0.1 (see sandbox/README.md). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const config = resolveConfig(options.config);
  const root = await mkdtemp(join(tmpdir(), 'cloudreve-sandbox-'));
  const files = createFileStore(root);
  const state = createState(config, files);
  for (const user of state.users) await files.seed(user.num, options.extraFiles);
  let url = '';
  let storageUrl = '';
  let stopped = false;
  const app: App = {
    config,
    state,
    files,
    baseUrl: () => config.siteUrl ?? url,
    isStopped: () => stopped,
    storageUrl: () => storageUrl,
    providerKeys: { accessKey: randomString(20), secretKey: randomString(40) },
    shares: createShareStore(),
  };

  const watchers = new Set<(req: IncomingMessage) => void>();
  const server = createServer((req, res) => {
    for (const watcher of watchers) watcher(req);
    const requestUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
    const handle = async () => {
      if (await handleFaults(config.faults, req, res, requestUrl)) return;
      const path = requestUrl.pathname;
      if (path === '/api/v4' || path.startsWith('/api/v4/')) return handleApi(app, req, res, requestUrl);
      if (path.startsWith('/api/')) {
        req.resume();
        return sendText(res, 404, '404 page not found');
      }
      if (path === '/dav' || path.startsWith('/dav/')) return handleDav(app, req, res, requestUrl);
      const shareHome = req.method === 'GET' || req.method === 'HEAD' ? shareRedirect(requestUrl) : null;
      if (shareHome) return void res.writeHead(302, { Location: shareHome }).end();
      if (await handlePage(app, options.page ?? 'build', req, res, requestUrl)) return;
      req.resume();
      sendText(res, 404, '404 page not found');
    };
    handle().catch((err: unknown) => {
      console.error('[sandbox] request failed', req.method, req.url, err);
      if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // A second origin, as a storage provider's is: the extension needs its own access to it.
  const storage = createServer((req, res) => {
    const requestUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
    handleProviders(app, req, res, requestUrl)
      .then((handled) => {
        if (handled) return;
        req.resume();
        sendText(res, 404, 'Not Found');
      })
      .catch((err: unknown) => {
        console.error('[sandbox storage] request failed', req.method, req.url, err);
        if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
        else res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    storage.once('error', reject);
    storage.listen(0, '127.0.0.1', () => resolve());
  });
  storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`;

  return {
    url,
    storageUrl,
    config,
    state,
    root,
    watchRequests(listener) {
      watchers.add(listener);
      return () => void watchers.delete(listener);
    },
    pathOf(email, relPath = '') {
      const user = state.userByEmail(email);
      if (!user) throw new Error(`no sandbox user ${email}`);
      return join(files.userRoot(user.num), ...relPath.split('/').filter(Boolean));
    },
    setGroupPermissions(group, bits) {
      const found = config.groups.find((g) => g.name === group);
      if (!found) throw new Error(`no sandbox group ${group}`);
      found.permissions = [...bits];
    },
    async stop() {
      stopped = true;
      server.closeAllConnections();
      storage.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => storage.close(() => resolve()));
      if (!options.keepRoot) await rm(root, { recursive: true, force: true });
    },
  };
}
