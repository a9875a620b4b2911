/** A server the user connected: a Cloudreve v4 site, or any WebDAV server. */
import type { TokenPair } from '../cloudreve/auth';
import type { DavCredentials } from '../webdav/detect';

export interface GroupPermissions {
  archiveTask: boolean;
  archiveDownload: boolean;
  webdav: boolean;
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
  /** Cloudreve: the latest token pair the signed-in page holds (read by the content script). */
  pageToken?: TokenPair;
  authState?: 'signed-in' | 'sign-in-required';
  account?: { email: string; nickname?: string; group?: string };
  permissions?: GroupPermissions;
  /** WebDAV servers, and Cloudreve's /dav when the group allows it. */
  dav?: DavCredentials;
}

/** What pages may see of a server: never the secrets. */
export interface ServerView {
  id: string;
  origin: string;
  kind: ServerRecord['kind'];
  label: string;
  version?: string;
  pro?: boolean;
  authState?: ServerRecord['authState'];
  account?: ServerRecord['account'];
  permissions?: GroupPermissions;
  dav?: { url: string; username: string; flavor?: DavCredentials['flavor']; readOnly?: boolean };
  hostPermission?: boolean;
}

export function toView(record: ServerRecord, hostPermission?: boolean): ServerView {
  const { token: _token, pageToken: _pageToken, dav, ...rest } = record;
  return {
    ...rest,
    ...(dav && { dav: { url: dav.url, username: dav.username, flavor: dav.flavor, readOnly: dav.readOnly } }),
    hostPermission,
  };
}

/** `https://Example.com:443/x` → `https://example.com`; throws on anything that is not http(s). */
export function normalizeOrigin(url: string): string {
  const parsed = new URL(url.includes('://') ? url : `https://${url}`);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`Not an http(s) URL: ${url}`);
  return parsed.origin;
}
