/** No-clobber naming shared by every destination (Cloudreve, WebDAV, local folder) and server archive tasks. */

/** `archive.zip` → `archive (n).zip`; n = 0 gives the name itself. */
export function numberedName(name: string, n: number): string {
  if (n === 0) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

/** How many alternatives to try before giving up. */
export const MAX_NAME_TRIES = 100;

/** The inverse of numberedName: `a (2).zip` → { base: 'a.zip', n: 2 }; an unnumbered name has n = 0. */
export function splitNumberedName(name: string): { base: string; n: number } {
  const match = /^(.+) \((\d+)\)(\.[^.]*)?$/.exec(name);
  if (!match) return { base: name, n: 0 };
  return { base: `${match[1]}${match[3] ?? ''}`, n: Number(match[2]) };
}
