/**
 * Safe, unique entry names. APPNOTE 4.4.17.1: names are relative, use '/'
 * and carry no drive letter or leading slash. Beyond that we drop '.' and '..'
 * segments (zip-slip), control characters, and normalize to NFC so macOS (NFD)
 * names match what Windows and Linux users type.
 *
 * Duplicates are detected case-INSENSITIVELY: Windows and macOS extract onto
 * case-insensitive file systems by default, where `A.txt` would silently
 * overwrite `a.txt`. The second one becomes `A (1).txt` instead; this costs
 * nothing on Linux and prevents data loss elsewhere.
 */
import { AppError } from '../errors';

export type EntryKind = 'file' | 'folder';

/** One registration, enough to replay the registry after a restart. */
export interface NameRegistration {
  requestedName: string;
  kind: EntryKind;
}

export interface NameRegistry {
  /** The final name for an entry: safe, unique, folders ending in '/'. Throws 'invalid-name' when nothing is left. */
  register(requestedName: string, kind: EntryKind): string;
}

// C0 and C1 control characters, DEL included (they break terminals and Windows forbids C0).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const DRIVE = /^[A-Za-z]:/;

/** `name` made safe as '/'-joined segments without a trailing slash; throws AppError('invalid-name') if empty. */
export function sanitizeName(name: string): string {
  const segments = name
    .normalize('NFC')
    .replace(CONTROL, '')
    .replace(/\\/g, '/')
    .split('/')
    // Only dots and spaces: Windows drops a segment's trailing dots and spaces, so ".. " would be "..".
    .filter((segment) => !/^[. ]*$/.test(segment));
  if (segments.length > 0 && DRIVE.test(segments[0]!)) {
    const rest = segments[0]!.slice(2);
    if (rest === '' || rest === '.' || rest === '..') segments.shift();
    else segments[0] = rest;
  }
  if (segments.length === 0)
    throw new AppError('invalid-name', `Unusable entry name: ${JSON.stringify(name)}`, { name });
  return segments.join('/');
}

/** `name (n).ext` for files (keeping `.tar.gz`-style double extensions), `name (n)` for folders. */
function withSuffix(path: string, n: number, kind: EntryKind): string {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  const match = kind === 'file' ? /(\.tar)?\.[^.]+$/i.exec(base) : null;
  const dot = match && match.index > 0 ? match.index : base.length;
  return `${dir}${base.slice(0, dot)} (${n})${base.slice(dot)}`;
}

/**
 * A registry of the names used so far in one archive. Folder renames carry
 * over to their children (`a/` → `a (1)/` sends `a/x` to `a (1)/x`), and
 * parents that were never registered are reserved implicitly so a later file
 * cannot take a folder's name. Pass the earlier registrations to rebuild the
 * exact same state after a restart (resume).
 */
export function createNameRegistry(history: Iterable<NameRegistration> = []): NameRegistry {
  /** Lower-cased final path (no trailing '/') → what owns it. */
  const taken = new Map<string, { kind: EntryKind; name: string }>();
  /** Sanitized requested folder path → final folder path. */
  const folders = new Map<string, string>();

  function claim(candidate: string, kind: EntryKind): string {
    const existing = taken.get(candidate.toLowerCase());
    if (!existing) {
      taken.set(candidate.toLowerCase(), { kind, name: candidate });
      return candidate;
    }
    // The very same folder again (listed twice, or implied by a child first): merge.
    if (kind === 'folder' && existing.kind === 'folder' && existing.name === candidate) return candidate;
    for (let n = 1; ; n++) {
      const renamed = withSuffix(candidate, n, kind);
      if (!taken.has(renamed.toLowerCase())) {
        taken.set(renamed.toLowerCase(), { kind, name: renamed });
        return renamed;
      }
    }
  }

  function folder(requested: string, parent: string, segment: string): string {
    let final = folders.get(requested);
    if (final === undefined) {
      final = claim(parent ? `${parent}/${segment}` : segment, 'folder');
      folders.set(requested, final);
    }
    return final;
  }

  function register(requestedName: string, kind: EntryKind): string {
    const segments = sanitizeName(requestedName).split('/');
    const last = segments.pop()!;
    let requested = '';
    let parent = '';
    for (const segment of segments) {
      requested = requested ? `${requested}/${segment}` : segment;
      parent = folder(requested, parent, segment);
    }
    requested = requested ? `${requested}/${last}` : last;
    if (kind === 'folder') return `${folder(requested, parent, last)}/`;
    return claim(parent ? `${parent}/${last}` : last, 'file');
  }

  for (const entry of history) register(entry.requestedName, entry.kind);
  return { register };
}
