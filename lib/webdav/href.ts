/**
 * Defensive handling of WebDAV `href`s (RFC 4918 §8.3: an absolute URI or an
 * absolute path). Servers differ (docs/webdav-servers.md#hrefs): webdav-server sends absolute
 * URLs with a raw `#`, others percent-encode it; `+` is a literal plus, never a
 * space; some percent-encode lower-case, some send raw UTF-8; a few leave a
 * literal `%` unencoded (arut/nginx-dav-ext-module#14). The `webdav` package's
 * `decodeURIComponent` throws on the last case (docs/webdav-servers.md#hrefs), so decode per
 * segment and keep a malformed segment literally.
 */

/** Decodes one path segment; a malformed `%` sequence is kept as it is. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Decode the well-formed escapes only, e.g. "100%" or "a%zz%20b" → "a%zz b".
    return segment.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** Encodes one path segment for a request URL (RFC 3986 pchar minus the sub-delims servers mishandle). */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The path part of an href, still encoded. Absolute URLs are cut by hand, not
 * with `new URL`, because a raw `#` or `?` in a name is part of the path here.
 */
export function hrefPath(href: string): string {
  const trimmed = href.trim();
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(trimmed);
  const path = absolute ? trimmed.slice(absolute[0].length) : trimmed;
  return path.startsWith('/') ? path : `/${path}`;
}

/** Decoded segments of an href's path, empty segments dropped ("/a%20b//c/" → ["a b", "c"]). */
export function hrefSegments(href: string): string[] {
  return hrefPath(href)
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
}

/** Splits a relative, decoded path ("Docs/a b.txt", "/Docs/", "") into segments. */
export function pathSegments(path: string): string[] {
  return path.split('/').filter((s) => s !== '' && s !== '.');
}

/** Joins decoded segments into a relative path without leading or trailing slash. */
export function joinPath(...parts: string[]): string {
  return parts.flatMap(pathSegments).join('/');
}

/**
 * The request URL for a decoded relative path under the base collection URL;
 * collections get a trailing slash (nginx answers DELETE on a collection without one with 409).
 */
export function resolveDavUrl(baseUrl: string, path: string, collection = false): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const encoded = pathSegments(path).map(encodeSegment).join('/');
  if (encoded === '') return base;
  return `${base}${encoded}${collection ? '/' : ''}`;
}

/** Whether an href points at the same resource as the decoded segments (trailing slash and escaping ignored). */
export function hrefMatches(href: string, segments: readonly string[]): boolean {
  const found = hrefSegments(href);
  return (
    found.length === segments.length && found.every((s, i) => s.normalize('NFC') === segments[i]?.normalize('NFC'))
  );
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes XML character and predefined entity references (XML 1.0 §4.1, §4.6); unknown ones stay literal. */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}
