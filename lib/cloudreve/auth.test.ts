import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createTokenManager, type TokenPair } from './auth';
import { createFakeFetch, envelope, ok, type FakeHandler } from './testing/fake-fetch';

const origin = 'https://cloud.example';
const MIN = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function pair(name: string, accessInMs: number, refreshInMs = 14 * 24 * 60 * MIN, base = T0): TokenPair {
  return {
    access_token: `access-${name}`,
    refresh_token: `refresh-${name}`,
    access_expires: new Date(base + accessInMs).toISOString(),
    refresh_expires: new Date(base + refreshInMs).toISOString(),
  };
}

function setup(
  options: {
    stored?: TokenPair;
    refresh?: FakeHandler;
    source?: () => Promise<TokenPair | undefined>;
    routes?: [string, FakeHandler][];
  } = {},
) {
  let time = T0;
  const saved: (TokenPair | undefined)[] = [];
  const states: string[] = [];
  let refreshes = 0;
  const fake = createFakeFetch([
    [
      'POST /api/v4/session/token/refresh',
      async (request) => {
        refreshes++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return options.refresh ? options.refresh(request) : ok(pair(`n${refreshes}`, 60 * MIN, undefined, time));
      },
    ],
    ...(options.routes ?? []),
  ]);
  let stored = options.stored;
  const manager = createTokenManager({
    origin,
    fetch: fake.fetch,
    store: {
      load: async () => stored,
      save: async (next) => {
        stored = next;
        saved.push(next);
      },
    },
    source: options.source,
    now: () => time,
    onStateChange: (state) => states.push(state),
  });
  return {
    manager,
    calls: fake.calls,
    saved,
    states,
    refreshes: () => refreshes,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

describe('createTokenManager.getAccessToken', () => {
  it('returns a fresh stored token without refreshing', async () => {
    const t = setup({ stored: pair('a', 60 * MIN) });
    await expect(t.manager.getAccessToken()).resolves.toBe('access-a');
    expect(t.refreshes()).toBe(0);
    expect(t.states).toEqual(['signed-in']);
  });

  it('refreshes proactively once the access token expires within 10 minutes', async () => {
    const t = setup({ stored: pair('a', 60 * MIN) });
    t.advance(49 * MIN);
    await expect(t.manager.getAccessToken()).resolves.toBe('access-a');
    t.advance(2 * MIN); // 9 minutes left
    await expect(t.manager.getAccessToken()).resolves.toBe('access-n1');
    expect(t.refreshes()).toBe(1);
    const refresh = t.calls.find((call) => call.url.pathname.endsWith('/refresh'))!;
    expect(refresh.json).toEqual({ refresh_token: 'refresh-a' });
    expect(refresh.headers.has('authorization')).toBe(false);
    expect(t.saved.at(-1)?.access_token).toBe('access-n1');
    await expect(t.manager.getAccessToken()).resolves.toBe('access-n1');
    expect(t.refreshes()).toBe(1);
  });

  it('runs a single refresh for five concurrent callers', async () => {
    const t = setup({ stored: pair('a', 5 * MIN) });
    const tokens = await Promise.all(Array.from({ length: 5 }, () => t.manager.getAccessToken()));
    expect(tokens).toEqual(Array(5).fill('access-n1'));
    expect(t.refreshes()).toBe(1);
  });

  it('signs out after a failed refresh (40020) and does not retry it', async () => {
    const t = setup({
      stored: pair('a', -MIN),
      refresh: () => envelope(40020, undefined, 'Failed to issue token pair'),
    });
    await expect(t.manager.getAccessToken()).rejects.toMatchObject({ code: 'sign-in-required' });
    await expect(t.manager.getAccessToken()).rejects.toMatchObject({ code: 'sign-in-required' });
    await expect(Promise.all([t.manager.getAccessToken(), t.manager.getAccessToken()])).rejects.toBeInstanceOf(
      AppError,
    );
    expect(t.refreshes()).toBe(1);
    expect(t.states).toEqual(['sign-in-required']);
  });

  it('does not refresh with an expired refresh token', async () => {
    const t = setup({ stored: pair('a', -2 * MIN, -MIN) });
    await expect(t.manager.getAccessToken()).rejects.toMatchObject({ code: 'sign-in-required' });
    expect(t.refreshes()).toBe(0);
  });

  it('asks for sign-in when nothing is stored', async () => {
    const t = setup();
    await expect(t.manager.getAccessToken()).rejects.toMatchObject({ code: 'sign-in-required' });
    expect(t.states).toEqual(['sign-in-required']);
  });

  it('adopts the page session when its own pair is unusable, and resumes after new credentials', async () => {
    const page: { session?: TokenPair } = {};
    const t = setup({ stored: pair('a', -MIN), refresh: () => envelope(40020), source: async () => page.session });
    await expect(t.manager.getAccessToken()).rejects.toMatchObject({ code: 'sign-in-required' });
    page.session = pair('page', 60 * MIN);
    await expect(t.manager.getAccessToken()).resolves.toBe('access-page');
    expect(t.saved.at(-1)).toEqual(page.session);
    expect(t.states).toEqual(['sign-in-required', 'signed-in']);
    expect(t.refreshes()).toBe(1);
  });

  it('keeps using a still-valid access token when the refresh cannot reach the server', async () => {
    const t = setup({
      stored: pair('a', 5 * MIN),
      refresh: () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(t.manager.getAccessToken()).resolves.toBe('access-a');
  });
});

describe('createTokenManager login', () => {
  const user = { id: 'u1', nickname: 'Admin', created_at: '2026-01-01T00:00:00Z' };

  it('signs in with a password and stores the pair', async () => {
    const token = pair('login', 60 * MIN);
    const t = setup({ routes: [['POST /api/v4/session/token', () => ok({ user, token })]] });
    await expect(t.manager.login({ email: 'a@example.com', password: 'pw' })).resolves.toEqual({
      kind: 'signed-in',
      user,
      token,
    });
    expect(t.calls[0]!.json).toEqual({ email: 'a@example.com', password: 'pw' });
    await expect(t.manager.getAccessToken()).resolves.toBe('access-login');
    expect(t.states).toEqual(['signed-in']);
  });

  it('turns code 203 into a two-factor step', async () => {
    const token = pair('otp', 60 * MIN);
    const t = setup({
      routes: [
        ['POST /api/v4/session/token', () => envelope(203, 'sess-1')],
        [
          'POST /api/v4/session/token/2fa',
          (request) =>
            (request.json as { otp: string }).otp === '123456'
              ? ok({ user, token })
              : envelope(40022, undefined, 'Incorrect OTP code'),
        ],
      ],
    });
    await expect(t.manager.login({ email: 'a@example.com', password: 'pw' })).resolves.toEqual({
      kind: 'two-factor',
      sessionId: 'sess-1',
    });
    await expect(t.manager.loginTwoFactor('sess-1', '000000')).rejects.toMatchObject({
      code: 'wrong-credentials',
      serverCode: 40022,
    });
    await expect(t.manager.loginTwoFactor('sess-1', '123456')).resolves.toMatchObject({ kind: 'signed-in' });
    expect(t.calls.at(-1)!.json).toEqual({ otp: '123456', session_id: 'sess-1' });
  });

  it('reports a wrong password as wrong-credentials', async () => {
    const t = setup({
      routes: [['POST /api/v4/session/token', () => envelope(40080, undefined, 'Incorrect password or email address')]],
    });
    await expect(t.manager.login({ email: 'a@example.com', password: 'x' })).rejects.toMatchObject({
      code: 'wrong-credentials',
    });
  });

  it('new credentials unblock a failed refresh', async () => {
    const token = pair('login', 60 * MIN);
    const t = setup({
      stored: pair('a', -MIN),
      refresh: () => envelope(40020),
      routes: [['POST /api/v4/session/token', () => ok({ user, token })]],
    });
    await expect(t.manager.getAccessToken()).rejects.toMatchObject({ code: 'sign-in-required' });
    await t.manager.login({ email: 'a@example.com', password: 'pw' });
    await expect(t.manager.getAccessToken()).resolves.toBe('access-login');
  });

  it('signs out: revokes the refresh token and clears the store', async () => {
    const t = setup({ stored: pair('a', 60 * MIN), routes: [['DELETE /api/v4/session/token', () => ok()]] });
    await t.manager.getAccessToken();
    await t.manager.signOut();
    const revoke = t.calls.find((call) => call.method === 'DELETE')!;
    expect(revoke.json).toEqual({ refresh_token: 'refresh-a' });
    expect(revoke.headers.get('authorization')).toBe('Bearer access-a');
    expect(t.saved.at(-1)).toBeUndefined();
    await expect(t.manager.getAccessToken()).rejects.toMatchObject({ code: 'sign-in-required' });
  });

  it('serves a normal captcha and refuses other captcha types', async () => {
    let captchaType = 'normal';
    const t = setup({
      routes: [
        ['GET /api/v4/site/config/login', () => ok({ login_captcha: true })],
        ['GET /api/v4/site/config/basic', () => ok({ captcha_type: captchaType })],
        ['GET /api/v4/site/captcha', () => ok({ image: 'data:image/png;base64,AAA', ticket: 't1' })],
      ],
    });
    await expect(t.manager.getCaptcha()).resolves.toEqual({ image: 'data:image/png;base64,AAA', ticket: 't1' });
    captchaType = 'turnstile';
    await expect(t.manager.getLoginConfig()).rejects.toMatchObject({
      code: 'captcha-unsupported',
      message: expect.stringMatching(/sign in on the page/i),
    });
  });
});
