/**
 * Token manager: keeps an access/refresh pair, refreshes it proactively 10 minutes
 * before `access_expires` like the web app (docs/cloudreve-api.md#token-refresh), one refresh at a time, and never
 * hammers a failing refresh
 * (OpenListTeam/OpenList#328, #1171).
 */
import { AppError, CloudreveError } from '../errors';
import { createCloudreveClient } from './client';
import {
  Code,
  type CaptchaResponse,
  type LoginConfig,
  type LoginResponse,
  type SiteConfig,
  type Token,
  type User,
} from './types';

export type TokenPair = Token;
export type AuthState = 'signed-in' | 'sign-in-required';

/** Refresh when the access token expires sooner than this (FE `getAccessToken`). */
export const REFRESH_MARGIN_MS = 10 * 60 * 1000;

export interface TokenStore {
  load(): Promise<TokenPair | undefined>;
  save(pair: TokenPair | undefined): Promise<void>;
}

export interface TokenManagerOptions {
  origin: string;
  fetch?: typeof fetch;
  store: TokenStore;
  /** Another place credentials may come from, e.g. the page's `cloudreve_session`. */
  source?: () => Promise<TokenPair | undefined>;
  now?: () => number;
  onStateChange?: (state: AuthState) => void;
}

export interface Credentials {
  email: string;
  password: string;
  captcha?: string;
  ticket?: string;
}

export type LoginResult =
  { kind: 'signed-in'; user: User; token: TokenPair } | { kind: 'two-factor'; sessionId: string };

/** Creates the token manager for one Cloudreve origin. */
export function createTokenManager(options: TokenManagerOptions) {
  const now = options.now ?? Date.now;
  // Token endpoints are anonymous: never attach a (possibly stale) Bearer token to them.
  const api = createCloudreveClient({
    origin: options.origin,
    fetch: options.fetch,
    getAccessToken: async () => undefined,
  });
  let pair: TokenPair | undefined;
  let loaded = false;
  /** Refresh token whose refresh failed; not retried until other credentials arrive. */
  let failedRefreshToken: string | undefined;
  let state: AuthState | undefined;
  let pending: Promise<string> | undefined;

  function setState(next: AuthState): void {
    if (state === next) return;
    state = next;
    options.onStateChange?.(next);
  }

  const expiresAt = (time: string) => Date.parse(time);
  const accessFresh = (p: TokenPair) => expiresAt(p.access_expires) - now() > REFRESH_MARGIN_MS;
  const accessUsable = (p: TokenPair) => expiresAt(p.access_expires) > now();
  const refreshUsable = (p: TokenPair) =>
    !!p.refresh_token && expiresAt(p.refresh_expires) > now() && p.refresh_token !== failedRefreshToken;

  async function adopt(next: TokenPair): Promise<void> {
    pair = next;
    failedRefreshToken = undefined;
    await options.store.save(next);
    setState('signed-in');
  }

  function signInRequired(message: string): never {
    setState('sign-in-required');
    throw new AppError('sign-in-required', message);
  }

  /** Our pair, else the store's, else the source's when ours cannot be used. */
  async function currentPair(): Promise<TokenPair | undefined> {
    if (!loaded) {
      pair = await options.store.load();
      loaded = true;
    }
    if (pair && (accessFresh(pair) || refreshUsable(pair))) return pair;
    const fromSource = await options.source?.();
    if (fromSource?.access_token && (accessUsable(fromSource) || refreshUsable(fromSource))) {
      if (fromSource.refresh_token !== pair?.refresh_token || fromSource.access_token !== pair?.access_token) {
        await adopt(fromSource);
      }
      return fromSource;
    }
    return pair;
  }

  async function refresh(current: TokenPair): Promise<string> {
    try {
      const token = await api.request<TokenPair>('POST', '/session/token/refresh', {
        body: { refresh_token: current.refresh_token },
        auth: false,
      });
      await adopt(token);
      return token.access_token;
    } catch (error) {
      // A network failure while the old access token still works is not a sign-out.
      if (error instanceof AppError && error.code === 'network' && accessUsable(current)) return current.access_token;
      if (error instanceof CloudreveError) {
        failedRefreshToken = current.refresh_token;
        signInRequired(`Your Cloudreve session has ended (${error.message}). Please sign in again.`);
      }
      throw error;
    }
  }

  async function resolve(): Promise<string> {
    const current = await currentPair();
    if (!current) signInRequired('Not signed in to Cloudreve.');
    if (accessFresh(current)) {
      setState('signed-in');
      return current.access_token;
    }
    if (refreshUsable(current)) return refresh(current);
    if (accessUsable(current) && current.refresh_token !== failedRefreshToken) return current.access_token;
    signInRequired('Your Cloudreve session has expired. Please sign in again.');
  }

  /** A valid access token; refreshes when it expires within 10 minutes; single-flight. */
  function getAccessToken(): Promise<string> {
    pending ??= resolve().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  async function finishLogin(response: LoginResponse): Promise<LoginResult> {
    await adopt(response.token);
    return { kind: 'signed-in', user: response.user, token: response.token };
  }

  /** Password login; code 203 means a second factor is needed (docs/cloudreve-api.md#two-factor-login). */
  function login(credentials: Credentials): Promise<LoginResult> {
    return withCredentialErrors(async () => {
      const { code, data } = await api.requestEnvelope<LoginResponse | string>('POST', '/session/token', {
        body: credentials,
        auth: false,
      });
      if (code === Code.Continue) return { kind: 'two-factor', sessionId: data as string };
      return finishLogin(data as LoginResponse);
    });
  }

  /** Completes a 2FA login with a TOTP code. */
  function loginTwoFactor(sessionId: string, otp: string): Promise<LoginResult> {
    return withCredentialErrors(async () => {
      const data = await api.request<LoginResponse>('POST', '/session/token/2fa', {
        body: { otp, session_id: sessionId },
        auth: false,
      });
      return finishLogin(data);
    });
  }

  /** Revokes the refresh family (best effort) and forgets the pair. */
  async function signOut(): Promise<void> {
    const current = pair ?? (await options.store.load());
    if (current?.refresh_token) {
      const client = createCloudreveClient({
        origin: options.origin,
        fetch: options.fetch,
        getAccessToken: async () => (accessUsable(current) ? current.access_token : undefined),
      });
      await client
        .request('DELETE', '/session/token', { body: { refresh_token: current.refresh_token } })
        .catch(() => {});
    }
    pair = undefined;
    loaded = true;
    await options.store.save(undefined);
    setState('sign-in-required');
  }

  /** Whether a captcha is needed to sign in; only the `normal` image captcha can be shown outside the page. */
  async function getLoginConfig(): Promise<{ captchaRequired: boolean; captchaType: string }> {
    const [login, basic] = await Promise.all([
      api.request<LoginConfig>('GET', '/site/config/login', { auth: false }),
      api.request<SiteConfig>('GET', '/site/config/basic', { auth: false }),
    ]);
    const captchaType = basic.captcha_type ?? 'normal';
    if (login.login_captcha && captchaType !== 'normal') {
      throw new AppError(
        'captcha-unsupported',
        `This server asks for a "${captchaType}" captcha, which only its web page can show. Sign in on the page instead.`,
        { captchaType },
      );
    }
    return { captchaRequired: !!login.login_captcha, captchaType };
  }

  /** A `normal` captcha image (base64 data) and its ticket (docs/cloudreve-api.md#captcha). */
  async function getCaptcha(): Promise<CaptchaResponse> {
    await getLoginConfig();
    return api.request<CaptchaResponse>('GET', '/site/captcha', { auth: false });
  }

  /** Adopts credentials found elsewhere (e.g. the page session) and unblocks refreshing. */
  async function setToken(next: TokenPair): Promise<void> {
    loaded = true;
    await adopt(next);
  }

  return {
    getAccessToken,
    login,
    loginTwoFactor,
    signOut,
    getLoginConfig,
    getCaptcha,
    setToken,
  };
}

export type TokenManager = ReturnType<typeof createTokenManager>;

/** Runs a sign-in step; a wrong password (40080) or OTP (40022) gets its own code for the UI. */
async function withCredentialErrors<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof CloudreveError)) throw error;
    if (error.serverCode !== Code.IncorrectPassword && error.serverCode !== Code.IncorrectOtp) throw error;
    throw new CloudreveError('wrong-credentials', error.serverCode, error.message, error.correlationId);
  }
}
