/**
 * The match pattern that stands for one server's origin, for host access
 * (`permissions.request/contains`), content-script registration and menu
 * scoping.
 *
 * Firefox match patterns carry no port: a pattern with one is accepted by
 * `permissions.request()` but matches nothing, so every request to
 * `http://host:5212` fails (MDN "Match patterns": "the port is not part of the
 * host"; Mozilla bug 1362809). There the pattern is the host's, on every port,
 * and the content script checks its own origin (lib/page/connected-origin.ts).
 * Chromium's patterns keep the port, so access stays scoped to that one server.
 */

/** Whether this build's browser honours a port in match patterns (decided at build time by WXT). */
export const PATTERNS_HAVE_PORTS = !import.meta.env.FIREFOX;

/** `http://host:5212` → `http://host:5212/*`, or `http://host/*` where patterns have no port. */
export function originPattern(origin: string, withPort = PATTERNS_HAVE_PORTS): string {
  const url = new URL(origin);
  return `${url.protocol}//${withPort ? url.host : url.hostname}/*`;
}
