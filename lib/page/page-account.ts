/**
 * The account the Cloudreve page is signed in with (`sessions[current].user`
 * in `cloudreve_session`, cloudreve-v4.md §2). The selection's
 * `cloudreve://my/...` URIs mean that account's files, so an archive must not
 * run under another account the extension happens to hold.
 */
import { SESSION_KEY } from './session';

interface StoredSession {
  current?: string;
  sessions?: Record<string, { user?: { email?: unknown } }>;
}

/** The page's signed-in email, lowercased; undefined when unknown. */
export function readPageEmail(storage: Pick<Storage, 'getItem'>): string | undefined {
  try {
    const parsed = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null') as StoredSession | null;
    const email = parsed?.current ? parsed.sessions?.[parsed.current]?.user?.email : undefined;
    return typeof email === 'string' && email ? email.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** True when both accounts are known and differ. */
export function accountsDiffer(pageEmail: string | undefined, extensionEmail: string | undefined): boolean {
  return !!pageEmail && !!extensionEmail && pageEmail !== extensionEmail.toLowerCase();
}
