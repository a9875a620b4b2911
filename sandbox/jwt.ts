import { createHmac, timingSafeEqual } from 'node:crypto';

/** Claims of sandbox tokens, named like BE `pkg/auth/jwt.go`. */
export interface TokenClaims {
  token_type: 'access' | 'refresh';
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  root_token_id?: string;
  state_hash?: string;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** HS256 JWT. */
export function signJwt(claims: TokenClaims, secret: Buffer): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(sig)}`;
}

/** Verified, unexpired claims, or null (BE treats all failures alike: anonymous). */
export function verifyJwt(token: string, secret: Buffer, nowMs = Date.now()): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    const now = nowMs / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= now || claims.nbf > now + 1) return null;
    return claims;
  } catch {
    return null;
  }
}

/** RFC 3339 with the local zone offset, like Go's time.Time JSON. */
export function rfc3339(ms: number): string {
  const date = new Date(ms);
  const offsetMin = -date.getTimezoneOffset();
  const local = new Date(ms + offsetMin * 60_000).toISOString().replace('Z', '');
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return local + zone;
}
