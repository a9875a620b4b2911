import { AppError } from '../errors';

/**
 * `chrome.downloads` sends the browser's cookies for the URL's site: a URL the
 * server names on another site would download with that site's cookies, and a
 * `javascript:`/`file:` one must never be opened. Only http(s) on the server's
 * own origin is downloaded; anything else is refused with the reason.
 */
export function checkDownloadUrl(url: string, serverOrigin: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('download-refused', `the server gave no valid address (${url.slice(0, 100)})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('download-refused', `the server gave a ${parsed.protocol} address, not a web one`);
  }
  if (parsed.origin !== serverOrigin) {
    throw new AppError(
      'download-refused',
      `the server gave an address on another site (${parsed.origin}); download the file from the Cloudreve page instead`,
    );
  }
}
