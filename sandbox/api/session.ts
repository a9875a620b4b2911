import { randomUUID } from 'node:crypto';
import type { ApiContext, Route } from '../context';
import { ApiError, readJson, sendData, sendJson } from '../http';
import { verifyJwt } from '../jwt';
import type { SandboxUser } from '../state';
import { verifyTotp } from '../totp';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TWO_FACTOR_TTL_MS = 600_000;

function loginResponse(ctx: ApiContext, user: SandboxUser) {
  return { user: ctx.app.state.userJson(user), token: ctx.app.state.issueTokens(user) };
}

async function login(ctx: ApiContext): Promise<void> {
  const body = await readJson(ctx.req);
  const { state, config } = ctx.app;
  // BE middleware/captcha.go runs before binding; the ticket is single-use.
  if (config.loginCaptcha) {
    const expected = typeof body.ticket === 'string' ? state.captchas.get(body.ticket) : undefined;
    if (typeof body.ticket === 'string') state.captchas.delete(body.ticket);
    if (!expected || typeof body.captcha !== 'string' || body.captcha.toLowerCase() !== expected) {
      throw new ApiError(40026, 'CAPTCHA not match.');
    }
  }
  const { email, password } = body;
  if (typeof email !== 'string' || !EMAIL.test(email)) {
    throw new ApiError(
      40001,
      "Key: 'UserLoginService.UserName' Error:Field validation for 'UserName' failed on the 'email' tag",
    );
  }
  if (typeof password !== 'string' || password.length < 4 || password.length > 128) {
    throw new ApiError(
      40001,
      "Key: 'UserLoginService.Password' Error:Field validation for 'Password' failed on the 'min' tag",
    );
  }
  const user = state.userByEmail(email);
  if (!user || user.password !== password) throw new ApiError(40080, 'Incorrect password or email address');
  if (user.totpSecret) {
    const sessionId = randomUUID();
    state.twoFactorSessions.set(sessionId, { userNum: user.num, expiresAt: Date.now() + TWO_FACTOR_TTL_MS });
    // 203 NotFullySuccess is not an error (docs/cloudreve-api.md#two-factor-login).
    sendJson(ctx.res, { code: 203, data: sessionId, msg: '' });
    return;
  }
  sendData(ctx.res, loginResponse(ctx, user));
}

async function twoFactor(ctx: ApiContext): Promise<void> {
  const body = await readJson(ctx.req);
  if (typeof body.otp !== 'string' || typeof body.session_id !== 'string')
    throw new ApiError(40001, 'otp and session_id are required');
  const session = ctx.app.state.twoFactorSessions.get(body.session_id);
  const user = session && session.expiresAt > Date.now() ? ctx.app.state.userByNum(session.userNum) : undefined;
  if (!user?.totpSecret) throw new ApiError(404, 'Session not found or expired');
  if (!verifyTotp(user.totpSecret, body.otp)) throw new ApiError(40022, 'Incorrect 2FA code');
  ctx.app.state.twoFactorSessions.delete(body.session_id);
  sendData(ctx.res, loginResponse(ctx, user));
}

async function refresh(ctx: ApiContext): Promise<void> {
  const body = await readJson(ctx.req);
  if (typeof body.refresh_token !== 'string' || body.refresh_token === '')
    throw new ApiError(40001, 'refresh_token is required');
  const { state } = ctx.app;
  const claims = verifyJwt(body.refresh_token, state.secret);
  const user = claims ? state.userById(claims.sub) : undefined;
  const valid =
    claims?.token_type === 'refresh' &&
    user &&
    claims.root_token_id &&
    !state.revokedRoots.has(claims.root_token_id) &&
    claims.state_hash === state.stateHash(user);
  // BE pkg/auth/jwt.go Refresh: every failure is "Failed to issue token pair". No rotation: the old token stays valid.
  if (!valid || !user || !claims?.root_token_id) throw new ApiError(40020, 'Failed to issue token pair');
  sendData(ctx.res, state.issueTokens(user, claims.root_token_id));
}

async function signOut(ctx: ApiContext): Promise<void> {
  const body = await readJson(ctx.req);
  const claims = typeof body.refresh_token === 'string' ? verifyJwt(body.refresh_token, ctx.app.state.secret) : null;
  if (claims?.root_token_id) ctx.app.state.revokedRoots.add(claims.root_token_id);
  sendData(ctx.res);
}

/** session/* routes (docs/cloudreve-api.md#password-login). */
export const sessionRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/session\/prepare$/,
    handle: (ctx) => {
      const email = ctx.url.searchParams.get('email') ?? '';
      if (!EMAIL.test(email)) throw new ApiError(40001, 'Invalid email');
      if (!ctx.app.state.userByEmail(email)) throw new ApiError(404, 'User not found');
      sendData(ctx.res, { webauthn_enabled: false, password_enabled: true });
    },
  },
  { method: 'POST', pattern: /^\/session\/token$/, handle: login },
  { method: 'POST', pattern: /^\/session\/token\/2fa$/, handle: twoFactor },
  { method: 'POST', pattern: /^\/session\/token\/refresh$/, handle: refresh },
  { method: 'DELETE', pattern: /^\/session\/token$/, handle: signOut },
];
