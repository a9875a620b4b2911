/**
 * The Cloudreve web app's session, read from the page's localStorage
 * (`cloudreve_session` → `sessions[current].token`; docs/cloudreve-web-ui.md#session-storage,
 * FE `src/session/index.ts`). Same-document writes fire no `storage` event,
 * so this is read on demand.
 */
import type { TokenPair } from '../cloudreve/auth';

export const SESSION_KEY = 'cloudreve_session';

interface StoredSession {
  current?: string;
  sessions?: Record<string, { token?: Partial<TokenPair>; signedOut?: boolean }>;
}

/** The signed-in token pair, or null when signed out or unreadable. */
export function readPageSession(storage: Pick<Storage, 'getItem'>): TokenPair | null {
  let parsed: StoredSession;
  try {
    parsed = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null') as StoredSession;
  } catch {
    return null;
  }
  const current = parsed?.current ? parsed.sessions?.[parsed.current] : undefined;
  const token = current?.token;
  if (!current || current.signedOut || !token?.access_token || !token.refresh_token) return null;
  return {
    access_token: token.access_token,
    refresh_token: token.refresh_token,
    access_expires: token.access_expires ?? '',
    refresh_expires: token.refresh_expires ?? '',
  };
}
