/**
 * Entry names as the server spells them. An archive is a copy people restore
 * from, so a name goes into the zip byte for byte as listed — NFD stays NFD,
 * `Mixed Case.txt` beside `mixed case.txt` stays as is, a tab stays a tab —
 * the way Cloudreve's own archive task writes `path.Join(parent, DisplayName())`
 * (cloudreve/cloudreve `pkg/filemanager/manager/archive.go`, CreateArchive).
 *
 * Only what extraction safety needs is rewritten (INTERNALS.md "Entry names"):
 * - a backslash inside a name becomes `_`: Windows tools split names on it
 *   (APPNOTE 4.4.17.1 allows only '/' as the separator), which would make a
 *   folder that does not exist on the server, or climb out with `..\`;
 * - names that would leave the extraction folder are neutralized: empty, `.`
 *   and `..` segments are dropped (a leading '/' included), a leading drive
 *   letter (`C:`) is removed, and NUL, which ends a name for C readers, becomes `_`;
 * - only identical full paths after those rules get ` (1)`.
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

/** Why a name in the zip differs from the server's: shown in the job's summary. */
export type NameRewrite = 'backslash' | 'unsafe' | 'duplicate';

const DRIVE = /^[A-Za-z]:/;

/** `name` made safe as '/'-joined segments without a trailing slash; throws AppError('invalid-name') if empty. */
export function sanitizeName(name: string): string {
  const segments = name
    .replace(/\\/g, '_')
    .replace(/\0/g, '_')
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

/**
 * What happened to `requestedName` on its way to `finalName` (as `register`
 * returned it), most telling first; empty when the name is the server's.
 */
export function nameRewrites(requestedName: string, finalName: string): NameRewrite[] {
  const requested = requestedName.replace(/\/+$/, '');
  const final = finalName.replace(/\/$/, '');
  if (requested === final) return [];
  const reasons: NameRewrite[] = [];
  if (requested.includes('\\')) reasons.push('backslash');
  // Unsafe parts: anything the safety rules change besides backslashes.
  if (requested.replace(/\\/g, '_') !== sanitizeName(requested)) reasons.push('unsafe');
  if (sanitizeName(requested) !== final) reasons.push('duplicate');
  return reasons;
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
 * A registry of the names used so far in one archive. Only the very same full
 * path is a duplicate: names that differ in case or Unicode normalization are
 * different files on the server and stay different in the zip. Folder renames
 * carry over to their children (`a/` → `a (1)/` sends `a/x` to `a (1)/x`), and
 * parents that were never registered are reserved implicitly so a later file
 * cannot take a folder's name. Pass the earlier registrations to rebuild the
 * exact same state after a restart (resume).
 */
export function createNameRegistry(history: Iterable<NameRegistration> = []): NameRegistry {
  /** Final path (no trailing '/') → what owns it. */
  const taken = new Map<string, EntryKind>();
  /** Sanitized requested folder path → final folder path. */
  const folders = new Map<string, string>();

  function claim(candidate: string, kind: EntryKind): string {
    const existing = taken.get(candidate);
    if (existing === undefined) {
      taken.set(candidate, kind);
      return candidate;
    }
    // The very same folder again (listed twice, or implied by a child first): merge.
    if (kind === 'folder' && existing === 'folder') return candidate;
    for (let n = 1; ; n++) {
      const renamed = withSuffix(candidate, n, kind);
      if (!taken.has(renamed)) {
        taken.set(renamed, kind);
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
