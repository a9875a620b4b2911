/**
 * Launches Debian's Chromium with the built extension loaded (docs/browser-platform.md#testing-with-chromium:
 * `npx playwright install` cannot download browsers here, so playwright-core
 * drives the system binary).
 */
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const EXTENSION_DIR = path.resolve('.output/chrome-mv3');

const CANDIDATES = [process.env.CHROMIUM_BIN, '/usr/lib/chromium/chromium', '/usr/bin/chromium'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((candidate) => candidate && existsSync(candidate));
  if (!found) throw new Error('Chromium not found: apt-get install -y chromium, or set CHROMIUM_BIN');
  return found;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  extensionDir?: string;
  headless?: boolean;
  locale?: string;
  colorScheme?: 'light' | 'dark';
  /**
   * Host patterns granted up front. A headless browser cannot click the
   * permission prompt that `permissions.request()` shows, so tests load a copy
   * of the build whose manifest already holds these hosts; `request()` then
   * resolves true at once and the rest of the runtime path runs unchanged.
   */
  grantHosts?: string[];
  /** More unpacked extensions loaded beside ours (test/security/other-extension.test.ts loads a hostile one). */
  otherExtensionDirs?: string[];
  /** More command-line switches (bench/ passes the one that trusts its loopback certificate, tools/tls-cert.ts). */
  args?: string[];
  /**
   * The profile's download folder (pref `download.default_directory`). Playwright
   * still names every download itself (a UUID) until a test hands downloads back
   * to Chromium with CDP `Browser.setDownloadBehavior({ behavior: 'default' })`.
   */
  downloadDir?: string;
  /**
   * Where the profile (user data dir) lives; a fresh folder under the temp dir by default.
   * test/chaos/full-profile-disk.test.ts puts it on a small tmpfs. The caller owns it.
   */
  profileDir?: string;
}

export async function launchExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const built = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(path.join(built, 'manifest.json'))) {
    throw new Error(`No built extension in ${built}: run npm run build first`);
  }
  const scratch = mkdtempSync(path.join(tmpdir(), 'cra-browser-'));
  const profile = options.profileDir ?? path.join(scratch, 'profile');
  const extensionDir = options.grantHosts
    ? copyWithHosts(built, path.join(scratch, 'extension'), options.grantHosts)
    : built;
  if (options.downloadDir) {
    mkdirSync(path.join(profile, 'Default'), { recursive: true });
    const prefs = { download: { default_directory: options.downloadDir, prompt_for_download: false } };
    writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify(prefs));
  }
  const loaded = [extensionDir, ...(options.otherExtensionDirs ?? [])].join(',');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    locale: options.locale,
    colorScheme: options.colorScheme,
    viewport: { width: 1280, height: 800 },
    args: [
      `--disable-extensions-except=${loaded}`,
      `--load-extension=${loaded}`,
      // The machine has no internet: keep Chromium from trying (docs/browser-platform.md#testing-with-chromium).
      '--disable-background-networking',
      '--disable-component-update',
      ...(options.locale ? [`--lang=${options.locale}`] : []),
      ...(options.args ?? []),
    ],
  });
  // With other extensions loaded, ours is the worker that runs our manifest's background script.
  const ours = (candidate: Worker) => candidate.url().endsWith(`/${backgroundScript(extensionDir)}`);
  const worker =
    context.serviceWorkers().find(ours) ?? (await context.waitForEvent('serviceworker', { predicate: ours }));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    worker,
    extensionId,
    async close() {
      await context.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

function backgroundScript(dir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    background?: { service_worker?: string };
  };
  return manifest.background?.service_worker ?? 'background.js';
}

function copyWithHosts(from: string, to: string, hosts: string[]): string {
  cpSync(from, to, { recursive: true });
  const manifestPath = path.join(to, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { host_permissions?: string[] };
  manifest.host_permissions = [...(manifest.host_permissions ?? []), ...hosts];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return to;
}
