/**
 * cloudreve:// URIs (docs/cloudreve-api.md#cloudreve-uris): `cloudreve://[fsId@]my/<escaped segments>[?query]`.
 * Each segment is escaped like BE `fs.PathEscape`.
 */

/** Parsed URI: filesystem and decoded path segments. */
export interface CrUri {
  filesystem: string;
  segments: string[];
  userHint: string | null;
}

const KEEP = /[A-Za-z0-9\-_.~!*'()]/;

/** BE fs.PathEscape: keep A–Z a–z 0–9 - _ . ~ ! * ' ( ), %XX every other UTF-8 byte. */
export function pathEscape(segment: string): string {
  let out = '';
  for (const ch of segment) {
    if (KEEP.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Parses a cloudreve:// URI; returns null when it is not one (BE `fs.NewUriFromString`). */
export function parseCrUri(raw: string): CrUri | null {
  const match = /^cloudreve:\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?[^#]*)?$/i.exec(raw);
  if (!match) return null;
  const filesystem = match[2]!.toLowerCase();
  if (!filesystem) return null;
  const segments = decodeSegments(match[3] ?? '');
  return segments && { filesystem, segments, userHint: match[1] ?? null };
}

/** `/a%20b//c` → ['a b', 'c'], or null for an undecodable or dot segment, or one that decodes to a '/'. */
export function decodeSegments(path: string): string[] | null {
  const segments: string[] = [];
  for (const part of path.split('/')) {
    if (part === '') continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/')) return null;
    segments.push(decoded);
  }
  return segments;
}

/** Formats `cloudreve://my/<escaped segments>`; the root has no trailing slash. */
export function formatMyUri(segments: readonly string[]): string {
  return segments.length === 0 ? 'cloudreve://my' : `cloudreve://my/${segments.map(pathEscape).join('/')}`;
}
