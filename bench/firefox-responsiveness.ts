/**
 * P6's click → server task created, in Firefox: the built add-on in Firefox
 * ESR (test/helpers/any-browser.ts, which reaches the dialog in our closed
 * shadow root and clicks it with real input), the Cloudreve sandbox connected
 * and signed in through the options page as a user does, the archive dialog
 * opened on the sandbox's page, server mode, Start. Timed as the Chromium row
 * is (bench/responsiveness.ts): from the click event's own time stamp in the
 * page to the sandbox's `createdAt` of the task, one untimed warm-up first.
 */
import { startSandbox } from '../sandbox/server';
import { ensurePageBuilt } from '../sandbox/page/build';
import { openBrowser } from '../test/helpers/any-browser';

const ADMIN = { email: 'admin@example.com', password: 'admin123' };
const testId = (id: string) => `[data-testid="${id}"]`;
const card = `[data-testid="server-card"][data-kind="cloudreve"]`;
const item = (name: string) => `button[data-rect-id]:has(p[aria-label="${name}"])`;

/** Milliseconds from each click on Start to its task on the server, `runs` of them after one warm-up. */
export async function firefoxClickToTask(runs: number): Promise<number[]> {
  await ensurePageBuilt();
  const sandbox = await startSandbox();
  const browser = await openBrowser('firefox');
  try {
    const options = await browser.newPage(`${browser.extensionOrigin}/options.html`, testId('options'));
    await options.fill(testId('connect-url'), sandbox.url);
    await options.click(testId('connect-submit'));
    await options.fill(`${card} ${testId('sign-in-email')}`, ADMIN.email);
    await options.fill(`${card} ${testId('sign-in-password')}`, ADMIN.password);
    await options.click(`${card} ${testId('sign-in-submit')}`);
    const deadline = Date.now() + 60_000;
    while ((await options.text(`${card} ${testId('server-state')}`)) !== `Signed in as ${ADMIN.email}`) {
      if (Date.now() > deadline) throw new Error('Firefox P6: not signed in from the options page within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await options.close();

    const page = await browser.newPage();
    await page.goto(`${sandbox.url}/session`);
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', ADMIN.password);
    await page.click('button[type=submit]');
    await page.waitFor(item('a b.txt'));

    const clicks: number[] = [];
    for (let i = 0; i <= runs; i++) {
      await page.goto(`${sandbox.url}/home`);
      await page.waitFor(item('a b.txt'));
      await page.click(item('a b.txt'), { ctrl: true });
      await page.click(testId('cra-toolbar-archive'));
      await page.waitFor(testId('cra-dialog'));
      await page.click(testId('cra-mode-server'));
      const name = `p6-firefox-click-${i}.zip`;
      await page.fill(testId('cra-name'), name);
      await page.evaluate(
        () =>
          addEventListener(
            'click',
            (event) =>
              ((globalThis as unknown as { clickedAt?: number }).clickedAt = performance.timeOrigin + event.timeStamp),
            { capture: true },
          ),
        null,
      );
      const before = sandbox.state.tasks.length;
      await page.click(testId('cra-start'));
      await page.waitFor(testId('cra-result'));
      const clickedAt = await page.evaluate(() => (globalThis as unknown as { clickedAt: number }).clickedAt, null);
      // The task this click created (the name typed is not relied on: a keystroke may land before the field has focus).
      const task = sandbox.state.tasks[before];
      if (!task || sandbox.state.tasks.length !== before + 1) {
        throw new Error(`Firefox P6: expected one new server task, got ${sandbox.state.tasks.length - before}`);
      }
      if (i > 0) clicks.push(task.createdAt - clickedAt);
    }
    return clicks;
  } finally {
    await browser.close();
    await sandbox.stop();
  }
}
