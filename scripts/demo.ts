/**
 * `npm run demo`: the main job, end to end, on the built-in Cloudreve sandbox.
 * Builds the extension, starts the sandbox, launches Chromium with the
 * extension loaded, connects it through the options page, signs in on the
 * Cloudreve page, selects files and archives them from the page's own
 * toolbar: once on the server (admin) and once in the browser (a user whose
 * group may not archive). Each zip is checked with `unzip -t`.
 *
 * With a display ($DISPLAY) the browser stays open to play with until Ctrl-C;
 * without one it runs headless, saves screenshots and says what it did.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { startSandbox } from '../sandbox/server';
import { launchExtension } from '../tools/chromium';
import { sandboxPage } from '../tools/sandbox-page';

const { values } = parseArgs({
  options: { port: { type: 'string' }, headless: { type: 'boolean' }, 'no-build': { type: 'boolean' } },
});
const headless = values.headless || !process.env.DISPLAY;
const SHOTS = 'demo-output';
mkdirSync(SHOTS, { recursive: true });
let lastStep = 'starting';
const say = (text: string) => {
  lastStep = text;
  console.log(`• ${text}`);
};
// A failure says what the demo was doing and why, not only a stack trace.
const failed = (error: unknown) => {
  console.error(`\n✗ The demo failed after: ${lastStep}\n  ${error instanceof Error ? error.message : String(error)}`);
  console.error('  Check that Chromium (/usr/bin/chromium) and unzip are installed, then run it again.');
  process.exit(1);
};
process.on('uncaughtException', failed);
process.on('unhandledRejection', failed);

if (!values['no-build']) {
  say('Building the extension (wxt build)…');
  const build = spawnSync('npx', ['wxt', 'build'], { stdio: 'ignore' });
  if (build.status !== 0) throw new Error('wxt build failed: run `npx wxt build` to see why');
}

say('Starting the Cloudreve sandbox (first start builds its web page, ~30 s)…');
const sandbox = await startSandbox({
  port: values.port ? Number(values.port) : 0,
  config: { faults: { taskStepMs: 300 } },
});
say(`Sandbox at ${sandbox.url}  (admin@example.com / admin123, user@example.com / user123)`);

// The demo grants loopback access up front: a headless browser cannot click the permission prompt.
const browser = await launchExtension({ headless, grantHosts: ['http://127.0.0.1/*'] });
say(`Chromium started ${headless ? 'headless' : 'with a window'}; extension id ${browser.extensionId}`);

const options = await browser.context.newPage();
await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
await options.getByTestId('connect-url').fill(sandbox.url);
await options.getByTestId('connect-submit').click();
await options.getByTestId('server-card').first().waitFor();
await options.screenshot({ path: `${SHOTS}/1-options-connected.png`, fullPage: true });
say('Connected the sandbox in the options page (no login needed there: the page session is picked up).');

async function archiveOnPage(
  email: string,
  password: string,
  items: string[],
  name: string,
  switchAccount = false,
): Promise<string> {
  const page: Page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  const ui = sandboxPage(page, sandbox.url);
  await ui.signIn(email, password);
  await ui.select(...items);
  await ui.toolbarArchive.click();
  if (switchAccount) {
    // The extension holds the first account's session; a page signed in as someone else is never
    // adopted silently (SECURITY.md): the page asks, and the demo answers as a user would.
    await ui.accountDialog.waitFor();
    say(`The page asks: "${(await ui.accountText.textContent())?.trim()}" → using ${email}.`);
    await ui.usePageAccount.click();
  }
  await ui.dialog.waitFor();
  await page.screenshot({ path: `${SHOTS}/${name}-dialog.png` });
  const result = await ui.startArchive(name);
  say(`${email}: selected ${items.join(', ')} → "${result.trim()}"`);
  const zip = sandbox.pathOf(email, name);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const check = spawnSync('unzip', ['-t', zip], { encoding: 'utf8' });
    if (check.status === 0) break;
    if (Date.now() > deadline) throw new Error(`${name} did not appear on the server`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await page.screenshot({ path: `${SHOTS}/${name}-done.png` });
  if (headless) await page.close();
  return execFileSync('unzip', ['-l', zip], { encoding: 'utf8' });
}

console.log(
  await archiveOnPage('admin@example.com', 'admin123', ['a b.txt', '中文.md', 'Docs'], 'from-the-server.zip'),
);
console.log(await archiveOnPage('user@example.com', 'user123', ['Photos', 'pixel.png'], 'from-the-browser.zip', true));

const popup = await browser.context.newPage();
await popup.setViewportSize({ width: 420, height: 600 });
await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
await popup.getByTestId('popup').waitFor();
await popup.waitForTimeout(1000);
await popup.screenshot({ path: `${SHOTS}/4-popup-tracker.png` });
say(`Both archives are on the server and pass unzip -t. Screenshots in ${SHOTS}/.`);

if (headless) {
  await browser.close();
  await sandbox.stop();
} else {
  say('The browser stays open: try the Archive button, the right-click menu or Alt+Shift+Z. Ctrl-C to quit.');
  process.once(
    'SIGINT',
    () =>
      void browser
        .close()
        .then(() => sandbox.stop())
        .then(() => process.exit(0)),
  );
}
