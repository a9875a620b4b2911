import type { LoginResponse, Token, User } from './types';

/** localStorage key of the web app's sessions (docs/cloudreve-web-ui.md#session-storage). */
export const SESSION_KEY = 'cloudreve_session';

export interface StoredSession {
  user: User;
  token: Token;
  settings: Record<string, unknown>;
  signedOut?: boolean;
}

export interface SessionStore {
  current?: string;
  sessions: Record<string, StoredSession>;
}

/** Reads the whole session store; re-read on demand, `storage` events miss same-document writes. */
export function readSessions(): SessionStore {
  try {
    const parsed = JSON.parse(localStorage.getItem(SESSION_KEY) ?? '') as SessionStore;
    return { ...parsed, sessions: parsed.sessions ?? {} };
  } catch {
    return { sessions: {} };
  }
}

function writeSessions(store: SessionStore): void {
  localStorage.setItem(SESSION_KEY, JSON.stringify(store));
}

/** The signed-in session, if any. */
export function currentSession(): StoredSession | undefined {
  const store = readSessions();
  const session = store.current ? store.sessions[store.current] : undefined;
  return session && !session.signedOut ? session : undefined;
}

/** Stores a login result and makes it current. */
export function saveLogin({ user, token }: LoginResponse): void {
  const store = readSessions();
  const previous = store.sessions[user.id];
  store.sessions[user.id] = { user, token, settings: previous?.settings ?? {} };
  store.current = user.id;
  writeSessions(store);
}

/** Writes a refreshed token pair back into the current session. */
export function saveToken(token: Token): void {
  const store = readSessions();
  const session = store.current ? store.sessions[store.current] : undefined;
  if (!session) return;
  session.token = token;
  writeSessions(store);
}

/** Updates the current user object (from site/config/basic). */
export function saveUser(user: User): void {
  const store = readSessions();
  const session = store.current ? store.sessions[store.current] : undefined;
  if (!session || session.user.id !== user.id) return;
  session.user = user;
  writeSessions(store);
}

/** Signs out like the real app: `current` cleared, `signedOut: true`, token fields "". */
export function signOut(): void {
  const store = readSessions();
  const id = store.current;
  const session = id ? store.sessions[id] : undefined;
  if (session) {
    session.signedOut = true;
    session.token = { access_token: '', refresh_token: '', access_expires: '', refresh_expires: '' };
  }
  delete store.current;
  writeSessions(store);
}
