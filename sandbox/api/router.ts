import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext, App, Route } from '../context';
import { ApiError, sendError, sendText } from '../http';
import { verifyJwt } from '../jwt';
import type { SandboxUser } from '../state';
import { deviceRoutes } from './devices';
import { fileRoutes } from './file';
import { fileUrlRoutes } from './file-url';
import { sessionRoutes } from './session';
import { shareRoutes } from './share';
import { siteRoutes } from './site';
import { uploadRoutes } from './upload';
import { userRoutes } from './user';
import { workflowRoutes } from './workflow';

const ROUTES: Route[] = [
  ...siteRoutes,
  ...sessionRoutes,
  ...userRoutes,
  ...fileRoutes,
  ...fileUrlRoutes,
  ...uploadRoutes,
  ...workflowRoutes,
  ...deviceRoutes,
  ...shareRoutes,
];

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Bearer token → user. Expired/invalid access tokens make the request anonymous;
 * a refresh token used as access token is 40020 "Invalid token type"
 * (docs/cloudreve-api.md#expired-and-invalid-tokens).
 */
function authenticate(app: App, req: IncomingMessage): SandboxUser | null {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) return null;
  const claims = verifyJwt(header.slice(7).trim(), app.state.secret);
  if (!claims) return null;
  if (claims.token_type !== 'access') throw new ApiError(40020, 'Invalid token type');
  return app.state.userById(claims.sub) ?? null;
}

/** Handles one `/api/v4/...` request; unknown routes get gin's plain-text 404. */
export async function handleApi(app: App, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.slice('/api/v4'.length) || '/';
  let route: Route | undefined;
  let params: string[] = [];
  for (const candidate of ROUTES) {
    const match = candidate.method === req.method ? candidate.pattern.exec(path) : null;
    if (match) {
      route = candidate;
      params = match.slice(1).map(safeDecode);
      break;
    }
  }
  if (!route) {
    req.resume();
    sendText(res, 404, '404 page not found');
    return;
  }
  try {
    const ctx: ApiContext = { app, req, res, url, params, user: authenticate(app, req) };
    await route.handle(ctx);
  } catch (err) {
    req.resume();
    if (!(err instanceof ApiError)) throw err;
    if (res.headersSent) res.destroy(err);
    else sendError(res, err);
  }
}
