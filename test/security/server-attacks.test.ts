/**
 * Attacks from a server, in real Chromium with the built extension: a hostile
 * proxy in front of the sandbox (test/helpers/hostile-server.ts) answers
 * chosen requests itself — a redirect of the account call to another origin,
 * a WebDAV listing that points above the selection, a download address on
 * another site — and passes the rest through. A second loopback origin plays
 * the foreign site and records every request that reaches it.
 */
import { readdirSync, statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { launchExtension, type ExtensionBrowser } from '../../tools/chromium';
import { send, sendRaw } from '../../tools/extension';
import { envelope, startForeignServer, startHostileProxy, type HostileServer } from '../helpers/hostile-server';
import { waitForJob } from '../../tools/job-waits';
import { pythonInspect, unzipTest } from '../integration/zip/helpers';

const ADMIN = 'admin@example.com';

let sandbox: Sandbox;
let proxy: HostileServer;
let foreign: HostileServer;
let browser: ExtensionBrowser;
let extension: Page;

beforeAll(async () => {
  sandbox = await startSandbox({ page: 'placeholder' });
  proxy = await startHostileProxy(sandbox.url);
  foreign = await startForeignServer();
  browser = await launchExtension({ grantHosts: ['http://127.0.0.1/*'] });
  extension = await browser.context.newPage();
  await extension.goto(`chrome-extension://${browser.extensionId}/popup.html`);
});

afterAll(async () => {
  await browser?.close();
  await proxy?.stop();
  await foreign?.stop();
  await sandbox?.stop();
});

/** Connects the sandbox through the proxy and signs in there (the proxy passes sign-in through). */
async function connectThroughProxy(): Promise<string> {
  const existing = (await send(extension, 'listServers')).find((server) => server.origin === proxy.url);
  const serverId = existing?.id ?? (await send(extension, 'addServer', { url: proxy.url })).id;
  await send(extension, 'login', { serverId, email: ADMIN, password: 'admin123' });
  return serverId;
}

describe('a hostile Cloudreve server', () => {
  it('a redirect of /user/me to another origin is an error, never the account shown', async () => {
    const serverId = await connectThroughProxy();
    foreign.intercepts.push((_req, url) =>
      url.pathname === '/me'
        ? envelope({ id: 'evil', email: 'attacker@evil.example', nickname: 'x', created_at: '2020-01-01T00:00:00Z' })
        : undefined,
    );
    const redirect = (_req: unknown, url: URL) =>
      url.pathname === '/api/v4/user/me' ? { status: 302, headers: { location: `${foreign.url}/me` } } : undefined;
    proxy.intercepts.push(redirect);
    try {
      const reply = await sendRaw(extension, 'testConnection', serverId);
      expect(reply).toMatchObject({ ok: false, error: { code: 'redirect-refused' } });
      expect(foreign.seen.filter((seen) => seen.path === '/me')).toEqual([]);
      const server = (await send(extension, 'listServers')).find((view) => view.id === serverId);
      expect(server?.account?.email).toBe(ADMIN);
    } finally {
      proxy.intercepts.splice(proxy.intercepts.indexOf(redirect), 1);
    }
  });

  it('“Download result” refuses an address on another site and one that is not http(s)', async () => {
    const serverId = await connectThroughProxy();
    for (const url of [`${foreign.url}/steal`, 'javascript:alert(1)']) {
      const forged = (_req: unknown, path: URL) =>
        path.pathname === '/api/v4/file/url'
          ? envelope({ urls: [{ url }], expires: '2099-01-01T00:00:00Z' })
          : undefined;
      proxy.intercepts.push(forged);
      try {
        const reply = await sendRaw(extension, 'downloadResult', { serverId, uri: 'cloudreve://my/a%20b.txt' });
        expect(reply).toMatchObject({ ok: false, error: { code: 'download-refused' } });
      } finally {
        proxy.intercepts.splice(proxy.intercepts.indexOf(forged), 1);
      }
    }
    await extension.waitForTimeout(1_000);
    expect(foreign.seen.filter((seen) => seen.path === '/steal')).toEqual([]);
    const downloads = await extension.evaluate(() =>
      (
        globalThis as unknown as { chrome: { downloads: { search(q: object): Promise<{ url: string }[]> } } }
      ).chrome.downloads.search({}),
    );
    expect(downloads.map((download) => download.url)).toEqual([]);
  });
});

describe('a hostile WebDAV listing', () => {
  it('members that point above the selection are refused; the walk stays inside it and ends', async () => {
    const cloudreveId = await connectThroughProxy();
    const view = await send(extension, 'provisionDav', cloudreveId);
    expect(view.dav?.url).toBe(`${proxy.url}/dav/`);
    const readmeSize = statSync(sandbox.pathOf(ADMIN, 'Docs/readme.txt')).size;
    const hostile = (req: { method?: string; headers: Record<string, unknown> }, url: URL) => {
      if (req.method !== 'PROPFIND' || req.headers.depth !== '1' || url.pathname !== '/dav/Docs/') return undefined;
      const member = (href: string, collection: boolean) =>
        `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:resourcetype>${
          collection ? '<d:collection/>' : ''
        }</d:resourcetype><d:getcontentlength>${collection ? '' : readmeSize}</d:getcontentlength></d:prop>` +
        `<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
      return {
        status: 207,
        headers: { 'content-type': 'application/xml; charset=utf-8' },
        body:
          '<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">' +
          member('/dav/Docs/', true) +
          member('/dav/Docs/readme.txt', false) +
          member('/dav/Docs/%2E%2E/', true) +
          member('/dav/Docs/..%2F..%2Fadmin%2F', true) +
          member('/dav/Docs/a%5C..%5C..%5Cwin.txt', false) +
          member('/dav/', true) +
          '</d:multistatus>',
      };
    };
    proxy.intercepts.push(hostile);
    try {
      const davId = (await send(extension, 'listServers')).find((server) => server.id === cloudreveId)!.id;
      const { jobId } = await send(extension, 'startArchive', {
        serverId: davId,
        sources: ['Docs'],
        name: 'docs-hostile.zip',
        destination: { kind: 'webdav', folder: '' },
        mode: 'browser',
      });
      const job = await waitForJob(extension, jobId);
      expect({ phase: job.kind === 'browser' && job.phase, error: job.error }).toEqual({
        phase: 'done',
        error: undefined,
      });
      // Left out, and the job says so (popup, notification, CLI): nothing vanishes unsaid.
      const leftOut = job.kind === 'browser' ? job.unreadable?.filter((item) => item.code === 'unsafe-listing') : [];
      expect(leftOut?.map((item) => item.path).sort()).toEqual([
        'Docs: /dav/',
        'Docs: /dav/Docs/%2E%2E/',
        'Docs: /dav/Docs/..%2F..%2Fadmin%2F',
      ]);
    } finally {
      proxy.intercepts.splice(proxy.intercepts.indexOf(hostile), 1);
    }
    // Every folder listing (Depth 1); the upload's own Depth 0 checks of its target are not the walk.
    const listed = proxy.seen
      .filter((seen) => seen.method === 'PROPFIND' && seen.depth === '1')
      .map((seen) => decodeURI(seen.path));
    expect(listed.filter((path) => !path.startsWith('/dav/Docs'))).toEqual([]);
    expect(listed).toContain('/dav/Docs/');
    expect(listed.filter((path) => path.includes('..') || path.includes('admin'))).toEqual([]);
    const zip = readdirSync(sandbox.pathOf(ADMIN)).find((name) => name.startsWith('docs-hostile'));
    await unzipTest(sandbox.pathOf(ADMIN, zip!));
    const { entries } = await pythonInspect(sandbox.pathOf(ADMIN, zip!));
    expect(entries.map((entry) => entry.name).sort()).toEqual(['Docs/', 'Docs/readme.txt']);
  });
});
