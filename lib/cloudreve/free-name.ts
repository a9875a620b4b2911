/** No-clobber naming shared by uploads and server archive tasks. */

/** `archive.zip` → `archive (n).zip`; n = 0 gives the name itself. */
export function numberedName(name: string, n: number): string {
  if (n === 0) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
}

/** How many alternatives to try before giving up. */
export const MAX_NAME_TRIES = 100;
