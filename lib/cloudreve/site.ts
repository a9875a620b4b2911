/** Site endpoints and server detection (docs/cloudreve-api.md#detecting-a-server). */
import { fetchOrNetworkError, type CloudreveClient } from './client';
import type { User } from './types';

export type Detection =
  { kind: 'v4'; version: string; pro: boolean } | { kind: 'v3'; version: string } | { kind: 'none' };

/** `GET /user/me`: the signed-in user incl. `group.permission`. */
export function getMe(client: CloudreveClient, signal?: AbortSignal): Promise<User> {
  return client.request<User>('GET', '/user/me', { signal });
}

/** Reads `{code: 0, data: "<version>"}` from a ping URL; undefined for anything else. */
async function pingVersion(fetcher: typeof fetch, url: string, signal?: AbortSignal): Promise<string | undefined> {
  const response = await fetchOrNetworkError(fetcher, url, { headers: { Accept: 'application/json' }, signal });
  if (!response.ok) return undefined;
  try {
    const body = (await response.json()) as { code?: unknown; data?: unknown };
    return body.code === 0 && typeof body.data === 'string' ? body.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Tells a Cloudreve v4 server from v3 and from anything else: a JSON ping answering
 * `4.*` on /api/v4, or `3.*` on /api/v3 (docs/cloudreve-api.md#detecting-a-server). Throws AppError('network')
 * when the origin cannot be reached at all.
 */
export async function detectCloudreve(
  origin: string,
  fetcher: typeof fetch = fetch,
  signal?: AbortSignal,
): Promise<Detection> {
  const base = new URL(origin).origin;
  const v4 = await pingVersion(fetcher, `${base}/api/v4/site/ping`, signal);
  if (v4?.startsWith('4.')) return { kind: 'v4', version: v4, pro: /pro/i.test(v4) };
  const v3 = await pingVersion(fetcher, `${base}/api/v3/site/ping`, signal);
  if (v3?.startsWith('3.')) return { kind: 'v3', version: v3 };
  return { kind: 'none' };
}
