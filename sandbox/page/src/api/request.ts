import { navigate } from '../common/navigation';
import { currentSession, saveToken, signOut } from './session';
import type { Token } from './types';

/** Envelope codes the page handles (docs/cloudreve-api.md#error-codes). */
export const Code = {
  Success: 0,
  Continue: 203,
  CheckLogin: 401,
  CredentialInvalid: 40020,
} as const;

/** A non-zero envelope code. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message || `Error code ${code}`);
    this.name = 'ApiError';
  }
}

interface Envelope<T> {
  code: number;
  data: T;
  msg: string;
}

// Refresh when access_expires is less than 10 minutes away (FE getAccessToken).
const REFRESH_MARGIN_MS = 10 * 60 * 1000;
let refreshing: Promise<Token> | undefined;

async function refresh(refreshToken: string): Promise<Token> {
  const res = await fetch('/api/v4/session/token/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refresh_token: refreshToken }),
  });
  const body = (await res.json()) as Envelope<Token>;
  if (body.code !== Code.Success) throw new ApiError(body.code, body.msg);
  saveToken(body.data);
  return body.data;
}

async function accessToken(): Promise<string | undefined> {
  const session = currentSession();
  if (!session) return undefined;
  const { token } = session;
  if (Date.parse(token.refresh_expires) <= Date.now()) return undefined;
  if (Date.parse(token.access_expires) - Date.now() > REFRESH_MARGIN_MS) return token.access_token;
  // Single flight: concurrent calls share one refresh (OpenList#328 shows request storms otherwise).
  refreshing ??= refresh(token.refresh_token).finally(() => (refreshing = undefined));
  return (await refreshing).access_token;
}

function forceSignOut(): void {
  signOut();
  if (location.pathname !== '/session') navigate('/session');
}

/** Calls `/api/v4<path>` with the bearer token; resolves the whole envelope for codes 0 and 203. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<{ code: number; data: T }> {
  let token: string | undefined;
  try {
    token = await accessToken();
  } catch (err) {
    if (err instanceof ApiError) forceSignOut();
    throw err;
  }
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`/api/v4${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = (await res.json()) as Envelope<T>;
  if (envelope.code === Code.Success || envelope.code === Code.Continue) return envelope;
  // FE src/api/request.ts: 401 and 40020 sign out and go to /session.
  if (envelope.code === Code.CheckLogin || envelope.code === Code.CredentialInvalid) forceSignOut();
  throw new ApiError(envelope.code, envelope.msg);
}

/** `request` returning only `data`. */
export async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await request<T>(method, path, body)).data;
}
