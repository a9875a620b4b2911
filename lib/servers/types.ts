/** A server the user connected: a Cloudreve v4 site, or any WebDAV server. */
import type { TokenPair } from '../cloudreve/auth';
import type { DavCredentials } from '../webdav/detect';

export interface GroupPermissions {
  archiveTask: boolean;
  archiveDownload: boolean;
  webdav: boolean;
}

export interface Account {
  /** The user's id on the server (`User.id`); absent in records of 0.1.0. */
  id?: string;
  email: string;
  nickname?: string;
  group?: string;
}

export interface ServerRecord {
  id: string;
  /** Scheme + host + port. Credentials of this record are only ever sent here. */
  origin: string;
  kind: 'cloudreve' | 'webdav';
  label: string;
  addedAt: number;
  /** Cloudreve: version from site/ping; `pro` when it ends in "-pro". */
  version?: string;
  pro?: boolean;
  /** Cloudreve: our own token pair (from a login here, or adopted from the page). */
  token?: TokenPair;
  /** Cloudreve: the latest token pair the signed-in page holds (read by the content script), checked with the server. */
  pageToken?: TokenPair;
  /** Cloudreve: who the page's session belongs to, as the server answered for `pageToken`. */
  pageAccount?: Account;
  /** Cloudreve: where `token` came from; a sign-in in the options page is never replaced by a page's session. */
  tokenFrom?: 'options' | 'page';
  authState?: 'signed-in' | 'sign-in-required';
  account?: Account;
  permissions?: GroupPermissions;
  /** WebDAV servers, and Cloudreve's /dav when the group allows it. */
  dav?: DavCredentials;
}

/** What pages may see of a server: the record without its secrets, and whether host access is granted. */
export type ServerView = Omit<ServerRecord, 'token' | 'pageToken' | 'tokenFrom' | 'addedAt' | 'dav'> & {
  dav?: Omit<DavCredentials, 'password'>;
  hostPermission?: boolean;
};

export function toView(record: ServerRecord, hostPermission?: boolean): ServerView {
  const { token: _token, pageToken: _pageToken, dav, ...rest } = record;
  return {
    ...rest,
    ...(dav && { dav: { url: dav.url, username: dav.username, flavor: dav.flavor, readOnly: dav.readOnly } }),
    hostPermission,
  };
}

/**
 * Whether the page's session (checked with the server) is the account the
 * extension acts as: `none` when the page reported no session, `other` when it
 * belongs to someone else. Only `same` lets a page start a job.
 */
export function pageSessionState(record: Pick<ServerRecord, 'account' | 'pageAccount'>): 'none' | 'same' | 'other' {
  if (!record.pageAccount) return 'none';
  return sameAccount(record.account, record.pageAccount) ? 'same' : 'other';
}

/** Who a job or a server task belongs to on its server: the user id, and the email to show. */
export type AccountRef = Pick<Account, 'id' | 'email'>;

/** The reference kept on a job for `account` (the server's signed-in account when the job was made). */
export function accountRef(account: Account | undefined): AccountRef | undefined {
  return account && { ...(account.id !== undefined && { id: account.id }), email: account.email };
}

/**
 * Whether two accounts of one server are the same user: by user id when both have one
 * (records of 0.1.0 have none), else by email. An unknown account is nobody's.
 */
export function sameAccount(a: AccountRef | undefined, b: AccountRef | undefined): boolean {
  if (!a || !b) return false;
  if (a.id && b.id) return a.id === b.id;
  return a.email.toLowerCase() === b.email.toLowerCase();
}

/** `https://Example.com:443/x` → `https://example.com`; throws on anything that is not http(s). */
export function normalizeOrigin(url: string): string {
  const parsed = new URL(url.includes('://') ? url : `https://${url}`);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`Not an http(s) URL: ${url}`);
  return parsed.origin;
}
