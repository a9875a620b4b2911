/**
 * `cloudreve://[fsId[:password]@]filesystem/path[?query]` URIs (docs/cloudreve-api.md#cloudreve-uris;
 * BE `pkg/filemanager/fs/uri.go`, FE `src/util/uri.ts` `CrUri`). Pure functions.
 */
import { AppError } from '../errors';

const SCHEME = 'cloudreve://';

/** A parsed URI; `segments` are decoded names. */
export interface CloudreveUri {
  fsId?: string;
  password?: string;
  /** `my`, `share`, `trash`, `shared_with_me`, … (lowercased like Go's url.Parse host). */
  filesystem: string;
  segments: string[];
  /** Raw search query without the leading `?`; `undefined` when absent. */
  query?: string;
}

const UNRESERVED = /[A-Za-z0-9\-_.~!*'()]/;
const utf8 = new TextEncoder();

/**
 * Escapes one path segment like BE `fs.PathEscape`: keeps `A–Z a–z 0–9 - _ . ~ ! * ' ( )`
 * and `%XX`-encodes every other UTF-8 byte (space → `%20`, never `+`).
 */
export function pathEscape(segment: string): string {
  let out = '';
  for (const char of segment) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    for (const byte of utf8.encode(char)) out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Decodes `%XX` sequences as UTF-8; a `%` not followed by two hex digits stays literal. */
export function pathUnescape(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length;) {
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const char = String.fromCodePoint(text.codePointAt(i)!);
      bytes.push(...utf8.encode(char));
      i += char.length;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Parses a `cloudreve://` URI; throws AppError('invalid-uri') on anything else. */
export function parseUri(uri: string): CloudreveUri {
  if (!uri.toLowerCase().startsWith(SCHEME)) throw new AppError('invalid-uri', `Not a cloudreve:// URI: ${uri}`);
  let rest = uri.slice(SCHEME.length);
  // Go's url.Parse drops a fragment; names never contain a raw '#' (it is escaped as %23).
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  let query: string | undefined;
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const slash = rest.indexOf('/');
  const authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? rest.slice(slash + 1) : '';
  const at = authority.lastIndexOf('@');
  const host = at >= 0 ? authority.slice(at + 1) : authority;
  if (!host) throw new AppError('invalid-uri', `Missing filesystem in ${uri}`);
  const result: CloudreveUri = {
    filesystem: host.toLowerCase(),
    segments: path
      .split('/')
      .filter((segment) => segment !== '')
      .map(pathUnescape),
  };
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    result.fsId = pathUnescape(colon >= 0 ? userinfo.slice(0, colon) : userinfo);
    if (colon >= 0) result.password = pathUnescape(userinfo.slice(colon + 1));
  }
  if (query !== undefined) result.query = query;
  return result;
}

/** Formats a parsed URI with canonical per-segment escaping. */
export function formatUri(uri: CloudreveUri): string {
  let authority = uri.filesystem;
  if (uri.fsId !== undefined) {
    const userinfo = pathEscape(uri.fsId) + (uri.password !== undefined ? ':' + pathEscape(uri.password) : '');
    authority = `${userinfo}@${authority}`;
  }
  const path = uri.segments.map((segment) => '/' + pathEscape(segment)).join('');
  return SCHEME + authority + path + (uri.query !== undefined ? '?' + uri.query : '');
}

/** Re-escapes a URI canonically (e.g. one read from a hand-typed page URL). */
export function normalizeUri(uri: string): string {
  return formatUri(parseUri(uri));
}

/** The URI without its search query (FE `pure_path`). */
export function withoutQuery(uri: string): string {
  const q = uri.indexOf('?');
  return q >= 0 ? uri.slice(0, q) : uri;
}

/** Child URI: parent (query dropped, trailing '/' trimmed) + '/' + escaped name (FE `CrUri.join`). */
export function joinUri(parent: string, name: string): string {
  if (name === '' || name.includes('/')) throw new AppError('invalid-name', `Invalid file name: ${name}`);
  return withoutQuery(parent).replace(/\/+$/, '') + '/' + pathEscape(name);
}

/** The parent folder URI, or `undefined` at a filesystem root. */
export function parentUri(uri: string): string | undefined {
  const parsed = parseUri(uri);
  if (parsed.segments.length === 0) return undefined;
  return formatUri({ ...parsed, segments: parsed.segments.slice(0, -1), query: undefined });
}

/** The decoded last segment; '' at a filesystem root. */
export function baseName(uri: string): string {
  return parseUri(uri).segments.at(-1) ?? '';
}

/** The Cloudreve web app's page for a folder (docs/cloudreve-web-ui.md#page-url: `?path=` is URL-encoded once). */
export function folderPageUrl(origin: string, folderUri: string): string {
  return `${origin}/home?path=${encodeURIComponent(folderUri)}`;
}
