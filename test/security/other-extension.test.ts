/**
 * Another extension, in real Chromium beside the built one (issue 10): a
 * hostile extension generated here sends every message of our protocol to our
 * id, opens our `jobs` port and fetches our files. Our manifest has no
 * `externally_connectable`, so Chromium delivers other extensions' messages
 * only to `runtime.onMessageExternal` / `onConnectExternal`
 * (https://developer.chrome.com/docs/extensions/develop/concepts/messaging#external),
 * and we register neither: every attempt must fail and leave our state as it was.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveRequest } from '../../lib/messaging/payloads';
import type { Args, MessageType } from '../../lib/messaging/protocol';
import type { Settings } from '../../lib/settings';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { EXTENSION_DIR, launchExtension, type ExtensionBrowser } from '../../tools/chromium';
import { send, storedSecrets } from '../../tools/extension';

const ADMIN = 'admin@example.com';
const PASSWORD = 'admin123';
const ATTACKER_SCRIPT = 'attacker.js';
/** lib/messaging/protocol.ts `PROTOCOL` (that module needs the extension runtime). */
const PROTOCOL = 'cloudreve-archiver/1';

let sandbox: Sandbox;
let hostileDir: string;
let browser: ExtensionBrowser;
let extension: Page;
let attacker: Worker;
let serverId: string;

/** Every message type with arguments that would change our state if a handler ran (typed: a new type must be added here). */
function everyMessage(settings: Settings): { [K in MessageType]: Args<K> } {
  const request: ArchiveRequest = {
    serverId,
    sources: ['cloudreve://my/Docs'],
    name: 'stolen.zip',
    destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
    mode: 'server',
  };
  return {
    ping: [],
    listJobs: [],
    startArchive: [request],
    cancelJob: ['job'],
    retryJob: ['job'],
    runInBrowser: ['job'],
    clearFinished: [],
    loadMoreTasks: [],
    downloadResult: [{ serverId, uri: 'cloudreve://my/Docs/readme.txt', account: undefined }],
    listServers: [],
    addServer: [{ url: sandbox.url.replace('127.0.0.1', 'localhost') }],
    addDavServer: [{ url: `${sandbox.url}/dav`, username: ADMIN, password: PASSWORD }],
    davList: [serverId, ''],
    davCreateFolder: [serverId, '', 'stolen'],
    provisionDav: [serverId],
    testConnection: [serverId],
    getCaptcha: [serverId],
    login: [{ serverId, email: ADMIN, password: PASSWORD }],
    loginTwoFactor: [{ serverId, sessionId: 's', otp: '000000' }],
    getSettings: [],
    saveSettings: [{ ...settings, nameTemplate: 'stolen-{date}' }],
    reportPageSession: [{ access_token: 'forged', refresh_token: 'forged' } as unknown as Args<'reportPageSession'>[0]],
    getPageContext: [],
    describeSelection: [['cloudreve://my/Docs']],
    usePageAccount: [],
    listFolders: ['cloudreve://my'],
    createFolder: ['cloudreve://my', 'stolen'],
    startPreview: [['Docs'], serverId],
    previewStatus: ['preview'],
    cancelPreview: ['preview'],
    previewParts: ['preview', 65536, { mode: 'auto', level: 6 }],
    preflightFacts: ['', serverId],
    archiveFromPage: [{ ...request, serverId: undefined } as unknown as Args<'archiveFromPage'>[0]],
    // Last: the destructive ones.
    signOut: [serverId],
    removeServer: [serverId],
  };
}

/** What an attack could change: servers, jobs, settings and the stored secrets. */
async function ourState() {
  return {
    servers: await send(extension, 'listServers'),
    jobs: await send(extension, 'listJobs'),
    settings: await send(extension, 'getSettings'),
    secrets: await storedSecrets(extension),
  };
}

beforeAll(async () => {
  sandbox = await startSandbox();
  hostileDir = mkdtempSync(path.join(tmpdir(), 'cra-hostile-extension-'));
  writeFileSync(
    path.join(hostileDir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Hostile neighbour',
      version: '1.0',
      background: { service_worker: ATTACKER_SCRIPT },
    }),
  );
  writeFileSync(path.join(hostileDir, ATTACKER_SCRIPT), '// Driven from the test through Playwright.\n');
  browser = await launchExtension({
    grantHosts: ['http://127.0.0.1/*', 'http://localhost/*'],
    otherExtensionDirs: [hostileDir],
  });
  const isAttacker = (worker: Worker) => worker.url().endsWith(`/${ATTACKER_SCRIPT}`);
  attacker =
    browser.context.serviceWorkers().find(isAttacker) ??
    (await browser.context.waitForEvent('serviceworker', { predicate: isAttacker }));
  extension = await browser.context.newPage();
  await extension.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  serverId = (await send(extension, 'addServer', { url: sandbox.url })).id;
  await send(extension, 'login', { serverId, email: ADMIN, password: PASSWORD });
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  if (hostileDir) rmSync(hostileDir, { recursive: true, force: true });
});

describe('another extension', () => {
  it('is a different extension, running beside ours', () => {
    expect(new URL(attacker.url()).host).not.toBe(browser.extensionId);
  });

  it('gets no answer to any message of our protocol and changes nothing', async () => {
    const before = await ourState();
    expect(before.servers.map((server) => server.id)).toEqual([serverId]);
    const messages = Object.entries(everyMessage(before.settings));
    const answers = await attacker.evaluate(
      async ({ id, protocol, messages }) => {
        const { runtime } = (globalThis as unknown as { chrome: ChromeRuntime }).chrome;
        const outcome: Record<string, unknown> = {};
        for (const [type, args] of messages) {
          outcome[type] = await runtime.sendMessage(id, { protocol, type, args }).then(
            (answer) => ({ answered: answer ?? null }),
            () => 'refused',
          );
        }
        return outcome;
      },
      { id: browser.extensionId, protocol: PROTOCOL, messages },
    );
    expect(answers).toEqual(Object.fromEntries(messages.map(([type]) => [type, 'refused'])));
    expect(await ourState()).toEqual(before);
  });

  it('cannot open the jobs port', async () => {
    const port = await attacker.evaluate(async (id) => {
      const { runtime } = (globalThis as unknown as { chrome: ChromeRuntime }).chrome;
      const opened = runtime.connect(id, { name: 'jobs' });
      const got: unknown[] = [];
      opened.onMessage.addListener((message) => got.push(message));
      // An open port never disconnects by itself: give a listener ample time to post its snapshot.
      const disconnected = await new Promise<boolean>((resolve) => {
        opened.onDisconnect.addListener(() => resolve(true));
        setTimeout(() => resolve(false), 10_000);
      });
      opened.disconnect();
      return { disconnected, got };
    }, browser.extensionId);
    expect(port).toEqual({ disconnected: true, got: [] });
  });

  it('cannot fetch our pages or files; anything web-accessible holds no secret', async () => {
    const manifest = await extension.evaluate(() =>
      (globalThis as unknown as { chrome: ChromeRuntime }).chrome.runtime.getManifest(),
    );
    const exposed = (manifest.web_accessible_resources ?? []).flatMap((entry) => entry.resources);
    const built = ['manifest.json', 'popup.html', 'options.html', 'browse.html', 'background.js'];
    for (const folder of ['assets', 'chunks', 'content-scripts']) {
      built.push(...readdirSync(path.join(EXTENSION_DIR, folder)).map((name) => `${folder}/${name}`));
    }
    const files = [...new Set([...built, ...exposed.filter((resource) => !resource.includes('*'))])];
    const fetched = await attacker.evaluate(
      async ({ id, files }) =>
        Object.fromEntries(
          await Promise.all(
            files.map(async (file) => [
              file,
              await fetch(`chrome-extension://${id}/${file}`).then(
                (response) => response.text(),
                () => null,
              ),
            ]),
          ),
        ) as Record<string, string | null>,
      { id: browser.extensionId, files },
    );
    const secrets = stringsIn(await storedSecrets(extension)).filter((value) => value.length > 8);
    expect(secrets.length).toBeGreaterThan(0);
    for (const [file, text] of Object.entries(fetched)) {
      if (!exposed.some((pattern) => globMatches(pattern, file))) expect({ file, text }).toEqual({ file, text: null });
      for (const secret of [...secrets, PASSWORD]) expect(text ?? '').not.toContain(secret);
    }
  });
});

/** Every string inside a stored value (tokens sit in nested objects). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return value && typeof value === 'object' ? Object.values(value).flatMap(stringsIn) : [];
}

/** `web_accessible_resources` patterns: `*` matches any run of characters. */
function globMatches(pattern: string, file: string): boolean {
  const escaped = pattern.replace(/^\//, '').replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replaceAll('*', '.*')}$`).test(file);
}

/** The `chrome.runtime` calls made inside the workers (evaluated functions cannot reference imports). */
interface ChromeRuntime {
  runtime: {
    sendMessage(extensionId: string, message: unknown): Promise<unknown>;
    connect(
      extensionId: string,
      info: { name: string },
    ): {
      onMessage: { addListener(listener: (message: unknown) => void): void };
      onDisconnect: { addListener(listener: () => void): void };
      disconnect(): void;
    };
    getManifest(): { web_accessible_resources?: { resources: string[] }[] };
  };
}
