/**
 * Checks a WebDAV URL and account, and recognises the server family:
 * Nextcloud/ownCloud by their `remote.php` endpoints, Cloudreve by the Basic realm
 * "cloudreve" or, under `/dav`, by `/api/v4/site/ping` (docs/cloudreve-api.md#webdav-endpoint,
 * docs/cloudreve-api.md#detecting-a-server).
 */
import { WebDavError } from '../errors';
import { createDavClient } from './client';
import { davStatusError, toNetworkError } from './errors';
import { parseMultistatus } from './propfind';

export type DavFlavor = 'nextcloud' | 'owncloud' | 'cloudreve' | 'generic';

/** A WebDAV account as a server record keeps it. */
export interface DavCredentials {
  /** Base collection URL, e.g. https://cloud.example.com/dav/ */
  url: string;
  username: string;
  password: string;
  flavor?: DavFlavor;
  readOnly?: boolean;
}

export interface DavDetection {
  kind: 'webdav';
  flavor: DavFlavor;
  /** True when the server says the account cannot create here (oc:permissions); undefined when unknown. */
  readOnly?: boolean;
}

const PROBE_BODY =
  '<?xml version="1.0" encoding="utf-8"?>' +
  '<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop>' +
  '<d:resourcetype/><oc:permissions/>' +
  '</d:prop></d:propfind>';

/**
 * Detects a WebDAV server at `url` with the account. Rejects with 'wrong-credentials'
 * (401), 'network' (unreachable), or a WebDavError when the URL is not a WebDAV collection.
 */
export async function detectDav(
  url: string,
  creds: { username: string; password: string },
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Promise<DavDetection> {
  const client = createDavClient({ url, ...creds, fetch: fetchImpl });
  const headers = { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' };
  // Unauthenticated first: only a 401 without credentials names the realm (Cloudreve
  // omits WWW-Authenticate when credentials were sent, docs/cloudreve-api.md#webdav-endpoint).
  let anonymous: Response;
  try {
    anonymous = await fetchImpl(client.baseUrl, { method: 'PROPFIND', headers, body: PROBE_BODY, credentials: 'omit' });
  } catch (error) {
    throw toNetworkError(error, client.baseUrl);
  }
  await anonymous.body?.cancel();
  const realm = /realm="([^"]*)"/i.exec(anonymous.headers.get('WWW-Authenticate') ?? '')?.[1] ?? '';

  const response = await client.send('PROPFIND', client.baseUrl, { headers, body: PROBE_BODY });
  const text = await response.text();
  if (response.status !== 207) {
    if (response.status === 401) throw davStatusError(401, 'PROPFIND', client.baseUrl);
    const options = await client.send('OPTIONS', client.baseUrl);
    await options.body?.cancel();
    if (!options.headers.get('DAV')) {
      throw new WebDavError('webdav', response.status, 'This address is not a WebDAV server', { url: client.baseUrl });
    }
    throw davStatusError(response.status, 'PROPFIND', client.baseUrl);
  }
  let permissions: string | undefined;
  try {
    permissions = parseMultistatus(text)[0]?.ocPermissions;
  } catch {
    throw new WebDavError('webdav', 207, 'The server answered PROPFIND without a multistatus body', {
      url: client.baseUrl,
    });
  }

  const flavor = await detectFlavor(client.baseUrl, realm, fetchImpl);
  // oc:permissions letters: C = may create files, K = may create folders (Nextcloud WebDAV basic docs).
  return { kind: 'webdav', flavor, ...(permissions !== undefined ? { readOnly: !/[CK]/.test(permissions) } : {}) };
}

async function detectFlavor(baseUrl: string, realm: string, fetchImpl: typeof fetch): Promise<DavFlavor> {
  const { origin, pathname } = new URL(baseUrl);
  const remote = /^(.*?)\/remote\.php\/(?:dav|webdav)(?:\/|$)/.exec(pathname);
  if (remote) {
    // status.php answers without auth: {"productname":"Nextcloud"|"ownCloud"|"Infinite Scale", …}.
    const status = await getJson(`${origin}${remote[1]}/status.php`, fetchImpl);
    const product = typeof status?.productname === 'string' ? status.productname : '';
    return /owncloud|infinite scale/i.test(product) ? 'owncloud' : 'nextcloud';
  }
  if (/cloudreve/i.test(realm)) return 'cloudreve';
  if (/^\/dav(\/|$)/.test(pathname)) {
    const ping = await getJson(`${origin}/api/v4/site/ping`, fetchImpl);
    if (ping?.code === 0 && typeof ping.data === 'string' && ping.data.startsWith('4.')) return 'cloudreve';
  }
  return 'generic';
}

/** GET a JSON document without credentials; undefined on any failure (detection hints only). */
async function getJson(url: string, fetchImpl: typeof fetch): Promise<Record<string, unknown> | undefined> {
  try {
    const response = await fetchImpl(url, { credentials: 'omit', headers: { Accept: 'application/json' } });
    if (!response.ok) return (await response.body?.cancel(), undefined);
    const value: unknown = await response.json();
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
