import type { Sandbox } from '../server';

/** The envelope every JSON route answers with. */
export interface Envelope<T = unknown> {
  code: number;
  data?: T;
  msg: string;
  correlation_id?: string;
  aggregated_error?: Record<string, { code: number; msg: string }>;
}

/** Calls `/api/v4${path}` and returns the envelope; asserts HTTP 200 like Cloudreve. */
// Responses are loosely typed JSON; tests assert their shape field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function api<T = any>(
  sb: Sandbox,
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<Envelope<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let body: BodyInit | undefined;
  if (init.body instanceof Uint8Array || typeof init.body === 'string') body = init.body as BodyInit;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${sb.url}/api/v4${path}`, { method: init.method ?? 'GET', headers, body });
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${path}: ${await res.text()}`);
  return (await res.json()) as Envelope<T>;
}

/** Signs in with a password (no 2FA) and returns the access token. */
export async function login(sb: Sandbox, email = 'admin@example.com', password = 'admin123'): Promise<string> {
  const res = await api<{ token: { access_token: string } }>(sb, '/session/token', {
    method: 'POST',
    body: { email, password },
  });
  if (res.code !== 0) throw new Error(`login failed: ${JSON.stringify(res)}`);
  return res.data!.token.access_token;
}

/** `/api/v4/file?uri=` path for a URI. */
export const listPath = (uri: string, extra = '') => `/file?uri=${encodeURIComponent(uri)}${extra}`;

/** Basic auth header for WebDAV. */
export const basic = (email: string, password: string) =>
  `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

/** The admin's seeded WebDAV password (sandbox/config.ts). */
export const ADMIN_DAV = basic('admin@example.com', 'sandboxdavpassword0123456789abcd');

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
