/**
 * The extension's own Cloudreve WebDAV account (docs/cloudreve-api.md#webdav-accounts):
 * list the user's accounts, reuse the one named "Cloudreve Archiver", else create
 * it. Both replies carry the password in clear text, so a signed-in JWT is all it
 * takes. The account's root is the user's whole drive (`cloudreve://my`).
 */
import { AppError } from '../errors';
import type { DavCredentials } from '../webdav/detect';
import type { CloudreveClient } from './client';
import { hasPermissionBit } from './permissions';

/** The name our account carries in the user's "Connect & mount" list. */
export const DAV_ACCOUNT_NAME = 'Cloudreve Archiver';

/** `DavAccount` (FE `src/api/setting.ts`). */
export interface DavAccount {
  id: string;
  created_at: string;
  name: string;
  uri: string;
  password: string;
  /** Base64 boolset: readonly 0, proxy 1, disable_sys_files 2. */
  options?: string;
}

interface DavAccountPage {
  accounts: DavAccount[] | null;
  pagination?: { next_token?: string };
}

/** Option bits (FE `DavAccountOption`). */
const READ_ONLY_BIT = 0;
/** The list route accepts page_size 10..100 (BE service/setting/webdav.go). */
const PAGE_SIZE = 50;
const MAX_PAGES = 20;

/** Every WebDAV account of the signed-in user, following the cursor. */
export async function listDavAccounts(client: Pick<CloudreveClient, 'request'>): Promise<DavAccount[]> {
  const all: DavAccount[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const reply = await client.request<DavAccountPage>('GET', '/devices/dav', {
      query: { page_size: PAGE_SIZE, next_page_token: token },
    });
    all.push(...(reply.accounts ?? []));
    token = reply.pagination?.next_token;
    if (!token) break;
  }
  return all;
}

/** Whether an account may only read (option bit 0). */
export function isReadOnlyAccount(account: Pick<DavAccount, 'options'>): boolean {
  return hasPermissionBit(account.options, READ_ONLY_BIT);
}

/**
 * Finds or creates the extension's account and answers its credentials for
 * `${origin}/dav/`. The user name is the login email (docs/cloudreve-api.md#webdav-endpoint).
 */
export async function provisionDavAccount(
  client: Pick<CloudreveClient, 'request'>,
  options: { origin: string; email: string },
): Promise<DavCredentials> {
  if (!options.email) throw new AppError('sign-in-required', 'The account email is unknown; sign in first');
  const existing = (await listDavAccounts(client)).find((account) => account.name === DAV_ACCOUNT_NAME);
  const account =
    existing ??
    (await client.request<DavAccount>('PUT', '/devices/dav', {
      body: { uri: 'cloudreve://my', name: DAV_ACCOUNT_NAME },
    }));
  if (!account?.password) throw new AppError('cloudreve', 'The server did not return the WebDAV password');
  return {
    url: `${new URL(options.origin).origin}/dav/`,
    username: options.email,
    password: account.password,
    flavor: 'cloudreve',
    readOnly: isReadOnlyAccount(account),
  };
}
