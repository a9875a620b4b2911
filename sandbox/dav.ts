import type { IncomingMessage, ServerResponse } from 'node:http';
import { PERMISSION } from './config';
import type { App } from './context';
import { ALLOW, DAV_HEADERS, WRITE_METHODS, davPath, dispatch } from './dav-methods';
import { sendText } from './http';
import type { DavAccount, SandboxUser } from './state';
import { parseCrUri } from './uri';

/** Basic auth: login email + WebDAV account password (BE `middleware/auth.go` `WebDAVAuth`). */
function authenticate(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
): { user: SandboxUser; account: DavAccount } | null {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) {
    // Only a request without credentials gets the challenge (docs/cloudreve-api.md#webdav-endpoint).
    sendText(res, 401, 'Unauthorized', { ...DAV_HEADERS, 'WWW-Authenticate': 'Basic realm="cloudreve"' });
    return null;
  }
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = app.state.userByEmail(decoded.slice(0, colon));
  const password = decoded.slice(colon + 1);
  const account = user && app.state.davAccounts.find((a) => a.userNum === user.num && a.password === password);
  if (!user || !account) {
    sendText(res, 401, 'Unauthorized', DAV_HEADERS);
    return null;
  }
  if (!app.state.hasPermission(user, PERMISSION.webdav)) {
    sendText(res, 403, 'Forbidden', DAV_HEADERS);
    return null;
  }
  return { user, account };
}

/** Handles `/dav` and `/dav/...` (docs/cloudreve-api.md#webdav-endpoint). */
export async function handleDav(app: App, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method === 'OPTIONS') {
    // Unauthenticated OPTIONS passes auth: a server fingerprint (docs/cloudreve-api.md#webdav-endpoint).
    req.resume();
    res.writeHead(200, { ...DAV_HEADERS, Allow: ALLOW, 'Content-Length': 0 }).end();
    return;
  }
  const auth = authenticate(app, req, res);
  if (!auth) {
    req.resume();
    return;
  }
  const rel = davPath(url.pathname);
  const root = parseCrUri(auth.account.uri);
  if (!rel || !root) {
    req.resume();
    return sendText(res, 400, 'Bad Request', DAV_HEADERS);
  }
  if (auth.account.readonly && WRITE_METHODS.has(req.method ?? '')) {
    req.resume();
    return sendText(res, 403, 'Forbidden', DAV_HEADERS);
  }
  const segments = [...root.segments, ...rel];
  const stats = await app.files.stat(auth.user.num, segments);
  await dispatch({ app, req, res, user: auth.user, account: auth.account, segments, rel }, stats);
}
