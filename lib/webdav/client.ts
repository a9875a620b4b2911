/**
 * A WebDAV client over plain `fetch`, for the MV3 service worker and Node 20.
 *
 * Why not the `webdav` npm package (docs/webdav-servers.md#the-webdav-npm-client), operation by operation:
 * - GET: `getFileContents` buffers the whole body (`arrayBuffer()`); we need to stream.
 * - PUT: Blob/File bodies are JSON-stringified to "{}" (perry-mitchell/webdav-client#352),
 *   Uint8Array throws "Cannot calculate data length"; we PUT the OPFS File as is.
 * - PROPFIND (stat/exists/list): its href handling `decodeURIComponent`s every segment and
 *   throws URIError on a literal `%`, and mishandles `&` entities; we parse defensively (href.ts).
 * - MOVE/DELETE: one request with two headers each; going through the package would add a second
 *   HTTP stack (in Node it uses node-fetch via @buttercup/fetch, not the injected `fetch`), a second
 *   error shape and its own redirect behaviour, for no gain.
 * So every operation is a direct request here: one layer, one auth rule, one error mapping.
 */
import { childSignal } from '../archive/scoped-open';
import { AppError } from '../errors';
import { davStatusError, toNetworkError } from './errors';
import { hrefMatches, hrefSegments, joinPath, pathSegments, resolveDavUrl } from './href';
import { parseMultistatus, type DavResponse } from './propfind';

export interface DavClientOptions {
  /** Base collection URL, e.g. http://127.0.0.1:8081/ or https://host/remote.php/dav/files/USER/. */
  url: string;
  username: string;
  password: string;
  fetch?: typeof fetch;
  /** A listed member that is not a plain direct child of the folder (see `memberName`): left out, and told here. */
  onRefused?: (href: string, folder: string) => void;
}

/** A file or folder, its path decoded and relative to the base collection ('' is the base itself). */
export interface DavResource {
  path: string;
  name: string;
  isCollection: boolean;
  size: number;
  /** Milliseconds since the epoch; 0 when the server did not say. */
  modified: number;
  etag?: string;
}

export interface DavRequestInit {
  headers?: Record<string, string>;
  body?: BodyInit;
  signal?: AbortSignal;
  cache?: RequestCache;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

const PROPFIND_BODY =
  '<?xml version="1.0" encoding="utf-8"?>' +
  '<d:propfind xmlns:d="DAV:"><d:prop>' +
  '<d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getetag/><d:displayname/>' +
  '</d:prop></d:propfind>';

/** Builds the `Authorization: Basic` value; credentials are UTF-8 (RFC 7617 §2.1 charset="UTF-8"). */
export function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * The name of a listed member, or undefined when the server's href is not a
 * plain direct child of the folder listed (`self`: its decoded segments).
 * A hostile or broken server could otherwise send the walker above the
 * selection: `%2E%2E` decodes to `..`, and `..%2F..%2Fadmin` to a name that
 * holds slashes (RFC 4918 §9.1: members are the collection's internal
 * members; RFC 3986 §3.3: `.` and `..` are dot-segments, never names).
 */
export function memberName(href: string, self: readonly string[]): string | undefined {
  const segments = hrefSegments(href);
  if (segments.length !== self.length + 1) return undefined;
  if (!self.every((segment, i) => segment.normalize('NFC') === segments[i]!.normalize('NFC'))) return undefined;
  const name = segments.at(-1)!;
  // A backslash is an ordinary character of a segment (RFC 3986 §3.3: only `/` separates
  // segments), and Linux servers hold such names (`back\slash.txt`); the hrefs of the walk never
  // split on it, and the zip's safety rule writes it as `_` (lib/zip/names.ts). So it stays.
  if (name === '' || name === '.' || name === '..' || /[/\0]/.test(name)) return undefined;
  return name;
}

/** Creates a client bound to one base collection and one account. */
export function createDavClient(options: DavClientOptions) {
  const baseUrl = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const origin = new URL(baseUrl).origin;
  const baseSegments = hrefSegments(baseUrl);
  const authorization = basicAuth(options.username, options.password);
  const fetchImpl = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  // Browsers turn `redirect: 'manual'` into an opaque response without Location; after
  // the first one we let the browser follow, which per the Fetch spec (HTTP-redirect fetch,
  // step "remove Authorization on cross-origin redirect") drops our header off-origin.
  let manualRedirects = true;

  /**
   * Sends a request to a URL, Authorization only while on the configured origin.
   * Redirects are followed by hand (Node, Deno) so a 302 from Cloudreve /dav to a
   * storage host (docs/cloudreve-api.md#webdav-endpoint) never carries the WebDAV password there.
   */
  async function send(method: string, url: string, init: DavRequestInit = {}): Promise<Response> {
    let current = url;
    let currentMethod = method;
    let body = init.body;
    for (let hop = 0; ; hop++) {
      const headers = new Headers(init.headers);
      if (new URL(current).origin === origin) headers.set('Authorization', authorization);
      const requestInit: RequestInit = {
        method: currentMethod,
        headers,
        body,
        signal: init.signal,
        credentials: 'omit',
        ...(init.cache ? { cache: init.cache } : {}),
      };
      let response: Response;
      try {
        response = await fetchImpl(current, { ...requestInit, redirect: manualRedirects ? 'manual' : 'follow' });
        if (response.type === 'opaqueredirect') {
          manualRedirects = false;
          response = await fetchImpl(current, { ...requestInit, redirect: 'follow' });
        }
      } catch (error) {
        throw toNetworkError(error, current);
      }
      const location = response.headers.get('Location');
      if (!REDIRECTS.has(response.status) || !location) return response;
      if (hop >= MAX_REDIRECTS) throw davStatusError(response.status, method, url);
      await response.body?.cancel();
      current = new URL(location, current).href;
      // Fetch spec: 303, and 301/302 after POST, become a body-less GET.
      if (response.status === 303 || (response.status <= 302 && currentMethod === 'POST')) {
        currentMethod = 'GET';
        body = undefined;
      }
    }
  }

  /**
   * A request whose answer has no body we read: its status once the body is dropped. A failing
   * status throws, except those in `expected`, which the caller reads.
   */
  async function statusOf(method: string, url: string, init: DavRequestInit, expected: number[] = []) {
    const response = await send(method, url, init);
    await response.body?.cancel();
    if (!response.ok && !expected.includes(response.status)) throw davStatusError(response.status, method, url);
    return response.status;
  }

  function toResource(response: DavResponse, path: string): DavResource {
    const segments = pathSegments(path);
    return {
      path: segments.join('/'),
      name: segments[segments.length - 1] ?? '',
      isCollection: response.isCollection,
      size: response.isCollection ? 0 : (response.size ?? 0),
      modified: response.modified ?? 0,
      ...(response.etag ? { etag: response.etag } : {}),
    };
  }

  /**
   * PROPFIND with Depth 0 or 1 (never infinity: Apache and nginx refuse it, docs/webdav-servers.md#depth-infinity);
   * null on 404.
   */
  async function propfind(
    path: string,
    depth: 0 | 1,
    signal?: AbortSignal,
    onRefused = options.onRefused,
  ): Promise<DavResource[] | null> {
    const url = resolveDavUrl(baseUrl, path, depth === 1);
    // A child of the caller's signal, detached once the answer is read: a listing passes the
    // job's signal to every folder's PROPFIND, and Node's fetch keeps its listener on the signal
    // it got until the Request is collected (lib/archive/scoped-open.ts).
    const scope = signal && childSignal(signal);
    let text: string;
    try {
      const response = await send('PROPFIND', url, {
        headers: { Depth: String(depth), 'Content-Type': 'application/xml; charset=utf-8' },
        body: PROPFIND_BODY,
        signal: scope?.signal,
      });
      if (response.status === 404) return (await response.body?.cancel(), null);
      if (response.status !== 207) {
        await response.body?.cancel();
        throw davStatusError(response.status, 'PROPFIND', url);
      }
      text = await response.text();
    } finally {
      scope?.release();
    }
    const responses = parseMultistatus(text).filter((r) => r.status >= 200 && r.status < 300);
    const self = [...baseSegments, ...pathSegments(path)];
    let selfIndex = responses.findIndex((r) => hrefMatches(r.href, self));
    // A server that rewrites the path (case, normalisation) still lists itself first (RFC 4918 §9.1 examples).
    if (selfIndex < 0 && (depth === 0 || responses[0]?.isCollection)) selfIndex = 0;
    // Members are children of the folder as the server names it (some rewrite case or normalisation);
    // whatever the hrefs say, a member's path is ours plus one checked name, so nothing leaves the folder.
    const parent = selfIndex >= 0 ? hrefSegments(responses[selfIndex]!.href) : self;
    const found: DavResource[] = [];
    responses.forEach((r, i) => {
      if (i === selfIndex) return void found.push(toResource(r, path));
      const name = memberName(r.href, parent);
      if (name === undefined) return onRefused?.(r.href, path);
      found.push(toResource(r, joinPath(path, name)));
    });
    return found;
  }

  return {
    baseUrl,
    send,
    propfind,

    /** The absolute URL of a decoded relative path. */
    url: (path: string, collection = false) => resolveDavUrl(baseUrl, path, collection),

    /** The resource at `path`, or null when it does not exist. */
    async stat(path: string, signal?: AbortSignal): Promise<DavResource | null> {
      const found = await propfind(path, 0, signal);
      return found?.[0] ?? null;
    },

    /**
     * The members of the collection at `path` (itself excluded), or null when it does not exist.
     * A listed member that is no plain child is left out and told to `onRefused` (else the client's).
     */
    async list(
      path: string,
      signal?: AbortSignal,
      onRefused?: (href: string, folder: string) => void,
    ): Promise<DavResource[] | null> {
      const found = await propfind(path, 1, signal, onRefused ?? options.onRefused);
      if (!found) return null;
      const own = pathSegments(path).join('/');
      return found.filter((r) => r.path !== own);
    },

    /**
     * GET, streamed, from byte `offset` (Range, RFC 9110 §14.2), with `If-Range` when given.
     * Null on 404. The caller checks for 200 vs 206: a server may ignore Range and send everything.
     */
    async get(
      path: string,
      options: { offset?: number; ifRange?: string; signal?: AbortSignal } = {},
    ): Promise<Response | null> {
      const url = resolveDavUrl(baseUrl, path);
      const headers: Record<string, string> = {};
      if (options.offset) headers.Range = `bytes=${options.offset}-`;
      // Only this version's bytes, else the whole new file (RFC 9110 §13.1.5; lib/archive/file-version.ts).
      if (options.offset && options.ifRange) headers['If-Range'] = options.ifRange;
      // `no-store`: archive downloads must not fill the browser's HTTP cache (Fetch standard, "cache mode").
      const response = await send('GET', url, { headers, signal: options.signal, cache: 'no-store' });
      if (response.status === 404) return (await response.body?.cancel(), null);
      if (!response.ok && response.status !== 416) {
        await response.body?.cancel();
        throw davStatusError(response.status, 'GET', url);
      }
      return response;
    },

    /**
     * PUT a Blob as is, so the browser sends Content-Length (Cloudreve needs it,
     * docs/cloudreve-api.md#webdav-endpoint).
     */
    async put(path: string, body: Blob, signal?: AbortSignal): Promise<void> {
      const headers = { 'Content-Type': 'application/octet-stream' };
      await statusOf('PUT', resolveDavUrl(baseUrl, path), { headers, body, signal });
    },

    /** MOVE without overwriting (explicit `Overwrite: F`, RFC 4918 §10.6); false when the target exists (412). */
    async move(from: string, to: string, signal?: AbortSignal): Promise<boolean> {
      const url = resolveDavUrl(baseUrl, from);
      const headers = { Destination: resolveDavUrl(baseUrl, to), Overwrite: 'F' };
      return (await statusOf('MOVE', url, { headers, signal }, [412])) !== 412;
    },

    /**
     * MKCOL: creates the collection at `path`; false when something is already
     * mapped there (405, RFC 4918 §9.3.1). Not every server says so: rclone answers 201
     * over an existing folder (docs/webdav-servers.md#new-folders), so callers stat first.
     * A missing parent (409) is `not-found`.
     */
    async mkcol(path: string, signal?: AbortSignal): Promise<boolean> {
      const url = resolveDavUrl(baseUrl, path, true);
      const status = await statusOf('MKCOL', url, { signal }, [405, 409]);
      if (status === 409) throw new AppError('not-found', `The parent folder of "/${path}" does not exist`);
      return status !== 405;
    },

    /** DELETE; a resource that is already gone counts as deleted. */
    async remove(path: string, options: { collection?: boolean; signal?: AbortSignal } = {}): Promise<void> {
      await statusOf('DELETE', resolveDavUrl(baseUrl, path, options.collection), { signal: options.signal }, [404]);
    },
  };
}

/** The client's type, for modules that take one as a dependency. */
export type DavClient = ReturnType<typeof createDavClient>;
