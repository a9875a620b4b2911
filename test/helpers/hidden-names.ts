/**
 * The hidden-name tree (issue: faithful archives): every kind of name a Linux
 * file system holds that people meet, how each WebDAV server lists it, and the
 * entry names a faithful archive of it holds under the two safety rules of
 * lib/zip/names.ts. Shared by the engine test (test/integration) and the
 * browser test (test/e2e).
 */
import { startApache, startLighttpd, startNginx, startRclone, type DavServer } from '../../tools/dav-servers';

/** Every kind of name a Linux file system holds that people actually meet. */
export const HIDDEN_NAMES = [
  'tab\tname.txt',
  'back\\slash.txt',
  'cafe\u0301 (NFD).txt',
  'caf\u00e9 (NFC).txt',
  'Mixed Case.txt',
  'mixed case.txt',
  'rtl \u202etxt.exe',
  'zero\u200bwidth.txt',
  '100%.txt',
  '%20literal.txt',
  '%2F slash.txt',
  '%25 percent.txt',
  'ends-with-%',
  ` lead and trail .txt `,
  'dot.',
  '.hidden',
  'quote " and \' .txt',
  '<angle> & amp #hash ?q.txt',
  'colon: star* pipe|.txt',
  '中文 😀.txt',
  `${'n'.repeat(196)}.txt`,
];
export const TAB_FILE = 'tab\tname.txt';

export function tree(): Record<string, string | null> {
  const files: Record<string, string | null> = { 'tree/empty folder': null };
  for (const name of HIDDEN_NAMES) files[`tree/${name}`] = `content of ${JSON.stringify(name)}`;
  files[`tree/sub ${'d'.repeat(150)}/inner\\name.txt`] = 'inner';
  return files;
}

/**
 * The names a faithful archive of `tree/` holds: the server's listing, with only the safety
 * rules applied. `listed` is how the server spells a name on disk; `leaveOut` what it omits.
 */
export function expectedNames(
  leaveOut: (name: string) => boolean = () => false,
  listed = (name: string) => name,
): string[] {
  const names = [
    'tree/',
    'tree/empty folder/',
    `tree/sub ${'d'.repeat(150)}/`,
    `tree/sub ${'d'.repeat(150)}/inner_name.txt`,
  ];
  for (const name of HIDDEN_NAMES) if (!leaveOut(name)) names.push(`tree/${listed(name).replaceAll('\\', '_')}`);
  return names.sort();
}

/** rclone's default `--local-encoding` shows a control character as its Unicode picture (a tab as ␉). */
const controlPictures = (name: string) =>
  // eslint-disable-next-line no-control-regex
  name.replace(/[\u0000-\u001f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)));
const asIs = (name: string) => name;

/** Each server: how to start it, what it leaves out of its listings, how it spells a name on disk. */
export const DAV_SERVERS: [string, () => Promise<DavServer>, (name: string) => boolean, (name: string) => string][] = [
  ['rclone', startRclone, () => false, controlPictures],
  ['Apache', () => startApache(), () => false, asIs],
  // dav_ext leaves dotfiles out of PROPFIND answers: nothing a client can detect (README).
  ['nginx dav_ext', startNginx, (name) => name.startsWith('.'), asIs],
  // Lists the tab name, answers 400 to reading it: skipped and reported below.
  ['lighttpd', startLighttpd, (name) => name === TAB_FILE, asIs],
];
