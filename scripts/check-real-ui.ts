/**
 * Checks the extension against the real Cloudreve web UI, which cannot ship
 * with the project: build cloudreve/frontend yourself (it stays outside this
 * repository), then
 *
 *   npx tsx scripts/check-real-ui.ts /path/to/frontend/build
 *
 * The sandbox serves that build as its web app; the script signs in, selects
 * two items in the real file manager, archives them with the extension's
 * toolbar button and its item in Cloudreve's own context menu, checks the zips
 * with unzip -t and saves screenshots in real-ui-output/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSandbox } from '../sandbox/server';
import { launchExtension } from '../tools/chromium';
import { send } from '../tools/extension';

const dir = process.argv[2] ? resolve(process.argv[2]) : '';
if (!dir || !existsSync(`${dir}/index.html`)) {
  console.error('Usage: npx tsx scripts/check-real-ui.ts <folder of a cloudreve/frontend build>');
  process.exit(2);
}
const OUT = 'real-ui-output';
mkdirSync(OUT, { recursive: true });
const EMAIL = 'admin@example.com';

const sandbox = await startSandbox({ page: { dir } });
const browser = await launchExtension({ grantHosts: ['http://127.0.0.1/*'] });
try {
  const extension = await browser.context.newPage();
  await extension.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await send(extension, 'addServer', { url: sandbox.url });

  // Sign in through the API and hand the session to the page the way the web app stores it.
  const login = (await (
    await fetch(`${sandbox.url}/api/v4/session/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: 'admin123' }),
    })
  ).json()) as { data: { user: { id: string }; token: unknown } };
  const session = { current: login.data.user.id, sessions: { [login.data.user.id]: { ...login.data, settings: {} } } };
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.addInitScript((value) => localStorage.setItem('cloudreve_session', value), JSON.stringify(session));
  await page.goto(`${sandbox.url}/home`);
  const item = (name: string) => page.locator(`button[data-rect-id]:has([aria-label="${name}"])`);
  await item('a b.txt').waitFor({ timeout: 60_000 });
  await page.screenshot({ path: `${OUT}/1-real-ui-home.png` });

  await item('a b.txt').click({ modifiers: ['Control'] });
  await item('中文.md').click({ modifiers: ['Control'] });
  await page.getByTestId('cra-toolbar-archive').waitFor({ timeout: 15_000 });
  await page.screenshot({ path: `${OUT}/2-real-ui-toolbar-button.png` });
  await page.getByTestId('cra-toolbar-archive').click();
  await page.getByTestId('cra-dialog').waitFor();
  console.log('dialog summary:', await page.getByTestId('cra-summary').textContent());
  await page.getByTestId('cra-name').fill('real-ui-toolbar.zip');
  await page.screenshot({ path: `${OUT}/3-real-ui-dialog.png` });
  await page.getByTestId('cra-start').click();
  console.log('result:', await page.getByTestId('cra-result').textContent());
  await page.keyboard.press('Escape');

  await item('Docs').click({ button: 'right' });
  await page.getByTestId('cra-menu-archive').waitFor({ timeout: 15_000 });
  await page.screenshot({ path: `${OUT}/4-real-ui-context-menu.png` });
  await page.getByTestId('cra-menu-archive').click();
  await page.getByTestId('cra-name').fill('real-ui-menu.zip');
  await page.getByTestId('cra-start').click();
  console.log('result:', await page.getByTestId('cra-result').textContent());

  for (const name of ['real-ui-toolbar.zip', 'real-ui-menu.zip']) {
    const zip = sandbox.pathOf(EMAIL, name);
    for (let i = 0; i < 120 && !existsSync(zip); i++) await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, 1000));
    console.log(execFileSync('unzip', ['-l', zip], { encoding: 'utf8' }));
    execFileSync('unzip', ['-tq', zip]);
  }
  console.log(`The extension works on the real Cloudreve UI. Screenshots in ${OUT}/.`);
} finally {
  await browser.close();
  await sandbox.stop();
}
