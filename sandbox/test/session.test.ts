import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../server';
import { startSandbox } from '../server';
import { totpCode } from '../totp';
import { api, delay, login } from './helpers';

let sb: Sandbox;
beforeAll(async () => {
  // The placeholder keeps this suite from running the page helper's vite build.
  sb = await startSandbox({ page: 'placeholder' });
});
afterAll(() => sb.stop());

describe('site routes', () => {
  it('answers ping with the configured version', async () => {
    expect(await api(sb, '/site/ping')).toEqual({ code: 0, data: '4.18.0', msg: '' });
    sb.config.siteVersion = '4.18.0-pro';
    expect((await api(sb, '/site/ping')).data).toBe('4.18.0-pro');
    sb.config.siteVersion = '4.18.0';
  });

  it('reports the anonymous user in site/config/basic, and the signed-in one with permissions', async () => {
    const anon = await api(sb, '/site/config/basic');
    expect(anon.data.user.anonymous).toBe(true);
    expect(typeof anon.data.themes).toBe('string');
    expect(anon.data.captcha_type).toBe('normal');
    const token = await login(sb);
    const signedIn = await api(sb, '/site/config/basic', { token });
    expect(signedIn.data.user.email).toBe('admin@example.com');
    const bytes = Buffer.from(signedIn.data.user.group.permission, 'base64');
    // archive_task 5, archive_download 4, webdav 3 (docs/cloudreve-api.md#group-permissions).
    for (const bit of [3, 4, 5]) expect(bytes[bit >> 3]! & (1 << (bit & 7))).not.toBe(0);
    const userToken = await login(sb, 'user@example.com', 'user123');
    const user = await api(sb, '/user/me', { token: userToken });
    const userBits = Buffer.from(user.data.group.permission, 'base64');
    for (const bit of [3, 4, 5]) expect(userBits[bit >> 3]! & (1 << (bit & 7))).toBe(0);
    expect(userBits[0]! & (1 << 2)).not.toBe(0);
  });

  it('serves explorer and login config', async () => {
    expect((await api(sb, '/site/config/explorer')).data.max_batch_size).toBe(1000);
    expect((await api(sb, '/site/config/login')).data.login_captcha).toBe(false);
  });

  it('enforces the captcha when login_captcha is on', async () => {
    sb.config.loginCaptcha = true;
    try {
      const body = { email: 'admin@example.com', password: 'admin123' };
      const captcha = await api(sb, '/site/captcha');
      expect(captcha.data.image).toMatch(/^data:image\//);
      expect(
        (
          await api(sb, '/session/token', {
            method: 'POST',
            body: { ...body, captcha: 'nope', ticket: captcha.data.ticket },
          })
        ).code,
      ).toBe(40026);
      const fresh = await api(sb, '/site/captcha');
      const answer = sb.state.captchaAnswer(fresh.data.ticket);
      expect(
        (
          await api(sb, '/session/token', {
            method: 'POST',
            body: { ...body, captcha: answer, ticket: fresh.data.ticket },
          })
        ).code,
      ).toBe(0);
    } finally {
      sb.config.loginCaptcha = false;
    }
  });
});

describe('session routes', () => {
  it('prepares known emails and 404s unknown ones', async () => {
    expect((await api(sb, '/session/prepare?email=user%40example.com')).data).toEqual({
      webauthn_enabled: false,
      password_enabled: true,
    });
    expect((await api(sb, '/session/prepare?email=ghost%40example.com')).code).toBe(404);
  });

  it('rejects an invalid email with 40001 and a wrong password with 40080', async () => {
    const bad = await api(sb, '/session/token', {
      method: 'POST',
      body: { email: 'not-an-email', password: 'admin123' },
    });
    expect(bad.code).toBe(40001);
    expect(bad.correlation_id).toBeUndefined();
    const wrong = await api(sb, '/session/token', {
      method: 'POST',
      body: { email: 'admin@example.com', password: 'wrong-pass' },
    });
    expect(wrong.code).toBe(40080);
    expect(wrong.correlation_id).toMatch(/-/);
    expect(wrong).not.toHaveProperty('data');
  });

  it('returns user and token pair with RFC 3339 expiries', async () => {
    const res = await api(sb, '/session/token', {
      method: 'POST',
      body: { email: 'admin@example.com', password: 'admin123' },
    });
    expect(res.data.user.email).toBe('admin@example.com');
    const { token } = res.data;
    expect(token.access_token.split('.')).toHaveLength(3);
    expect(token.access_expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/);
    const ttl = Date.parse(token.access_expires) - Date.now();
    expect(ttl).toBeGreaterThan(3590_000);
    expect(ttl).toBeLessThanOrEqual(3600_000);
  });

  it('runs the 2FA flow: 203, 404 for an unknown session, 40022 for a wrong code', async () => {
    const first = await api(sb, '/session/token', {
      method: 'POST',
      body: { email: 'totp@example.com', password: 'totp123' },
    });
    expect(first.code).toBe(203);
    expect(typeof first.data).toBe('string');
    expect(
      (await api(sb, '/session/token/2fa', { method: 'POST', body: { otp: '000000', session_id: 'missing' } })).code,
    ).toBe(404);
    const good = totpCode('JBSWY3DPEHPK3PXP');
    const wrongCode = good === '123456' ? '654321' : '123456';
    expect(
      (await api(sb, '/session/token/2fa', { method: 'POST', body: { otp: wrongCode, session_id: first.data } })).code,
    ).toBe(40022);
    const ok = await api(sb, '/session/token/2fa', {
      method: 'POST',
      body: { otp: totpCode('JBSWY3DPEHPK3PXP'), session_id: first.data },
    });
    expect(ok.code).toBe(0);
    expect(ok.data.user.email).toBe('totp@example.com');
  });

  it('computes RFC 6238 test vectors', () => {
    // RFC 6238 Appendix B, SHA-1 secret "12345678901234567890" (base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ), 8 digits → last 6.
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000)).toBe('287082');
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1111111109_000)).toBe('081804');
  });

  it('refreshes to a token object only, keeps the old refresh token valid, and rejects misuse with 40020', async () => {
    const res = await api(sb, '/session/token', {
      method: 'POST',
      body: { email: 'admin@example.com', password: 'admin123' },
    });
    const { access_token, refresh_token } = res.data.token;
    const refreshed = await api(sb, '/session/token/refresh', { method: 'POST', body: { refresh_token } });
    expect(Object.keys(refreshed.data).sort()).toEqual([
      'access_expires',
      'access_token',
      'refresh_expires',
      'refresh_token',
    ]);
    expect((await api(sb, '/session/token/refresh', { method: 'POST', body: { refresh_token } })).code).toBe(0);
    expect(
      (await api(sb, '/session/token/refresh', { method: 'POST', body: { refresh_token: access_token } })).code,
    ).toBe(40020);
    expect((await api(sb, '/session/token/refresh', { method: 'POST', body: { refresh_token: 'x.y.z' } })).code).toBe(
      40020,
    );
    // A refresh token used as access token → 40020 "Invalid token type" on every route.
    const misuse = await api(sb, '/user/me', { token: refresh_token });
    expect(misuse.code).toBe(40020);
    expect((await api(sb, '/site/ping', { token: refresh_token })).code).toBe(40020);
    // Sign-out revokes the family for refresh only.
    expect((await api(sb, '/session/token', { method: 'DELETE', body: { refresh_token } })).code).toBe(0);
    expect((await api(sb, '/session/token/refresh', { method: 'POST', body: { refresh_token } })).code).toBe(40020);
    expect((await api(sb, '/user/me', { token: access_token })).code).toBe(0);
  });

  it('treats invalid and expired access tokens as anonymous; expired refresh tokens get 40020', async () => {
    expect((await api(sb, '/user/me', { token: 'garbage' })).code).toBe(401);
    expect((await api(sb, '/site/config/basic', { token: 'garbage' })).data.user.anonymous).toBe(true);
    sb.config.accessTtl = 1;
    sb.config.refreshTtl = 1;
    try {
      const res = await api(sb, '/session/token', {
        method: 'POST',
        body: { email: 'admin@example.com', password: 'admin123' },
      });
      const { access_token: token, refresh_token } = res.data.token;
      expect((await api(sb, '/user/me', { token })).code).toBe(0);
      await delay(2100);
      expect((await api(sb, '/user/me', { token })).code).toBe(401);
      expect((await api(sb, '/session/token/refresh', { method: 'POST', body: { refresh_token } })).code).toBe(40020);
    } finally {
      sb.config.accessTtl = 3600;
      sb.config.refreshTtl = 1209600;
    }
  });
});

describe('user routes and plumbing', () => {
  it('answers user/me, capacity and avatar', async () => {
    const token = await login(sb);
    expect((await api(sb, '/user/me')).code).toBe(401);
    const capacity = await api(sb, '/user/capacity', { token });
    expect(capacity.data.used).toBeGreaterThan(0);
    expect(capacity.data.total).toBeGreaterThan(capacity.data.used);
    const avatar = await fetch(`${sb.url}/api/v4/user/avatar/abc`);
    expect(avatar.status).toBe(404);
  });

  it('gives gin plain-text 404 for unknown API routes', async () => {
    for (const path of ['/api/v4/nope', '/api/v3/site/ping']) {
      const res = await fetch(sb.url + path);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('404 page not found');
    }
  });

  it('injects failures N times and latency', async () => {
    sb.config.faults.failRequests.push(
      { path: '^/api/v4/site/ping', times: 2, code: 50002 },
      { path: 'config/explorer', times: 1, httpStatus: 502 },
    );
    expect((await api(sb, '/site/ping')).code).toBe(50002);
    expect((await api(sb, '/site/ping')).code).toBe(50002);
    expect((await api(sb, '/site/ping')).code).toBe(0);
    expect((await fetch(`${sb.url}/api/v4/site/config/explorer`)).status).toBe(502);
    expect((await api(sb, '/site/config/explorer')).code).toBe(0);
    sb.config.faults.latencyMs = 150;
    const started = Date.now();
    await api(sb, '/site/ping');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    sb.config.faults.latencyMs = 0;
  });

  it('serves the stand-in page routes, assets and manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-page-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
    const pageSb = await startSandbox({ page: { dir } });
    try {
      const page = await fetch(`${pageSb.url}/tasks?category=general`);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toBe('<!doctype html><div id="root"></div>');
      const asset = await fetch(`${pageSb.url}/assets/app.js`);
      expect(asset.headers.get('content-type')).toContain('text/javascript');
      expect(await asset.text()).toBe('console.log(1)');
      expect((await fetch(`${pageSb.url}/assets/missing.js`)).status).toBe(404);
      expect((await fetch(`${pageSb.url}/assets/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
      // The backend makes /manifest.json, not the web app's build (BE routers/router.go `Manifest`).
      const manifest = await fetch(`${pageSb.url}/manifest.json`);
      expect(manifest.headers.get('content-type')).toContain('application/manifest+json');
      expect((await manifest.json()).start_url).toBe('/home');
    } finally {
      await pageSb.stop();
      await rm(dir, { recursive: true });
    }

    const root = await fetch(sb.url + '/', { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/home');
    const manifest = await fetch(sb.url + '/manifest.json');
    expect(manifest.status).toBe(200);
    expect((await manifest.json()).start_url).toBe('/home');
    for (const path of ['/home', '/session', '/tasks?x=1']) {
      const page = await fetch(sb.url + path);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('id="root"');
    }
  });
});
