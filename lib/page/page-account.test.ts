import { describe, expect, it } from 'vitest';
import { accountsDiffer, readPageEmail } from './page-account';

const storage = (value: unknown) => ({ getItem: () => (value === undefined ? null : JSON.stringify(value)) });

describe('readPageEmail', () => {
  it('reads the current session’s user', () => {
    const session = { current: 'u1', sessions: { u1: { user: { email: 'Admin@Example.com' } }, u2: {} } };
    expect(readPageEmail(storage(session))).toBe('admin@example.com');
  });

  it('is undefined when signed out, absent or unreadable', () => {
    expect(readPageEmail(storage({ sessions: { u1: { user: { email: 'a@b' } } } }))).toBeUndefined();
    expect(readPageEmail(storage(undefined))).toBeUndefined();
    expect(readPageEmail({ getItem: () => '{' })).toBeUndefined();
  });
});

describe('accountsDiffer', () => {
  it('only when both are known', () => {
    expect(accountsDiffer('a@x', 'A@x')).toBe(false);
    expect(accountsDiffer('a@x', 'b@x')).toBe(true);
    expect(accountsDiffer(undefined, 'b@x')).toBe(false);
    expect(accountsDiffer('a@x', undefined)).toBe(false);
  });
});
