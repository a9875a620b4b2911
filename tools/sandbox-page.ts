/**
 * Page object for the Cloudreve stand-in page (sandbox/page) with the
 * extension's Archive UI on it. Our UI sits in closed shadow roots, which only
 * the DevTools protocol reaches (tools/devtools.ts); clicks and keys
 * are real input.
 */
import type { Locator, Page } from 'playwright-core';
import { shadowElement } from './devtools';

export const TOOLBAR = 'header.MuiAppBar-root .MuiStack-root:has(> .MuiButtonGroup-root > button.Mui-disabled)';
const MAIN_MENU = 'body > div.MuiPopover-root.MuiMenu-root';

export function sandboxPage(page: Page, baseUrl: string) {
  const inDialog = (testId: string) => shadowElement(page, 'dialog', `[data-testid=${testId}]`);
  const dialog = inDialog('cra-dialog');
  return {
    page,
    dialog,
    toolbar: page.locator(TOOLBAR),
    toolbarArchive: page.getByTestId('cra-toolbar-archive'),
    fab: shadowElement(page, 'fab', '[data-testid=cra-fab]'),
    menu: page.locator(MAIN_MENU).first(),
    menuArchive: page.getByTestId('cra-menu-archive'),
    toast: shadowElement(page, 'toast', '[data-testid=cra-toast]'),
    name: inDialog('cra-name'),
    /** The destination picker's current folder (its last breadcrumb). */
    folder: inDialog('picker-current'),
    summary: inDialog('cra-summary'),
    result: inDialog('cra-result'),
    error: inDialog('cra-error'),
    start: inDialog('cra-start'),
    cancel: inDialog('cra-cancel'),
    close: inDialog('cra-close'),
    mode: (mode: 'auto' | 'server' | 'browser') => inDialog(`cra-mode-${mode}`),
    level: inDialog('cra-level'),
    /** The question asked when the page is signed in with another account than the extension. */
    accountDialog: inDialog('cra-account-dialog'),
    accountText: inDialog('cra-account-text'),
    usePageAccount: inDialog('cra-use-page-account'),

    /** Signs in through the page's own form, then loads /home afresh so the content script reads the session. */
    async signIn(email: string, password: string): Promise<void> {
      await page.goto(`${baseUrl}/session`);
      await page.fill('input[name=email]', email);
      await page.fill('input[name=password]', password);
      await page.click('button[type=submit]');
      await page.waitForURL('**/home**');
      await page.goto(`${baseUrl}/home`);
      await this.item('a b.txt').waitFor();
    },

    /** A grid item by its name. */
    item(name: string): Locator {
      return page.locator(`button[data-rect-id]:has(p[aria-label="${name}"])`);
    },

    /** A list-view row wrapper by its index. */
    row(index: number): Locator {
      return page.locator(`div[data-item-index="${index}"] > div`);
    },

    /** Ctrl+click on each grid item. */
    async select(...names: string[]): Promise<void> {
      for (const name of names) await this.item(name).click({ modifiers: ['Control'] });
    },

    /** Fills the dialog's name and starts; answers the result sentence. */
    async startArchive(name: string): Promise<string> {
      await dialog.waitFor();
      await this.name.fill(name);
      await this.start.click();
      await this.result.waitFor();
      return (await this.result.textContent()) ?? '';
    },

    /** Lets MUI's transitions (≤ 300 ms) finish before a screenshot. */
    settle: () => page.waitForTimeout(400),
  };
}

export type SandboxPage = ReturnType<typeof sandboxPage>;
