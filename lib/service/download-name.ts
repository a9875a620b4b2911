/**
 * The name "Save to this computer" hands to `chrome.downloads.download`. Chromium
 * refuses a `filename` that is not a safe portable path component ("Invalid
 * filename": control characters, `"*:<>?\|/`, a trailing dot or space, a name
 * Windows reserves) — chrome.downloads docs, `filename`; Chromium
 * `net::IsSafePortablePathComponent`. Such characters become `_` in the saved
 * name only; the archive's entries keep the server's names.
 */
// eslint-disable-next-line no-control-regex
const UNPORTABLE = /[\u0000-\u001f\u007f"*/:<>?\\|]/g;
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

export function downloadFileName(name: string): string {
  let safe = name.replace(UNPORTABLE, '_').replace(/[. ]+$/, '');
  if (RESERVED.test(safe)) safe = `_${safe}`;
  return safe || 'archive.zip';
}
