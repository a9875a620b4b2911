import type { Stats } from 'node:fs';
import { mimeType } from './mime';

const HREF_KEEP = /[A-Za-z0-9\-_.~$&+,/:;=@]/;

/**
 * Escapes a DAV href like Go's `(&url.URL{Path: p}).EscapedString()` (golang.org/x/net/webdav
 * `makePropstatResponse`, kept by Cloudreve's fork): `encodePath` mode keeps `$&+,/:;=@`
 * and escapes space, `%`, `#`, `?`, `!*'()` and every non-ASCII byte.
 */
export function escapeHref(path: string): string {
  let out = '';
  for (const ch of path) {
    if (HREF_KEEP.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** XML text escaping. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One PROPFIND result. */
export interface DavResource {
  /** Path segments relative to the account root. */
  segments: string[];
  stats: Stats;
  etag: string;
}

/** The `<D:response>` of one resource with the live props of BE `pkg/webdav/prop.go`. */
export function propResponse(resource: DavResource): string {
  const { segments, stats } = resource;
  const isDir = stats.isDirectory();
  const path = `/dav/${segments.join('/')}${isDir && segments.length ? '/' : ''}`;
  const name = segments[segments.length - 1] ?? '';
  const props = [
    isDir ? '<D:resourcetype><D:collection/></D:resourcetype>' : '<D:resourcetype></D:resourcetype>',
    `<D:displayname>${xmlEscape(name)}</D:displayname>`,
    `<D:getlastmodified>${stats.mtime.toUTCString()}</D:getlastmodified>`,
    `<D:creationdate>${stats.birthtime.toISOString()}</D:creationdate>`,
    '<D:supportedlock><D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry></D:supportedlock>',
  ];
  if (!isDir) {
    props.push(
      `<D:getcontentlength>${stats.size}</D:getcontentlength>`,
      `<D:getcontenttype>${xmlEscape(mimeType(name))}</D:getcontenttype>`,
      `<D:getetag>"${xmlEscape(resource.etag)}"</D:getetag>`,
    );
  }
  return `<D:response><D:href>${xmlEscape(escapeHref(path))}</D:href><D:propstat><D:prop>${props.join('')}</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`;
}

/** A 207 multistatus document. */
export function multistatus(responses: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><D:multistatus xmlns:D="DAV:">${responses.join('')}</D:multistatus>`;
}
