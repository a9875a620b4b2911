import { describe, expect, it } from 'vitest';
import { readPageSession, SESSION_KEY } from './session';

const token = {
  access_token: 'a',
  refresh_token: 'r',
  access_expires: '2030-01-01T00:00:00Z',
  refresh_expires: '2030-02-01T00:00:00Z',
};
const storageWith = (value: unknown) => ({
  getItem: (key: string) => (key === SESSION_KEY ? (typeof value === 'string' ? value : JSON.stringify(value)) : null),
});

describe('page session', () => {
  it('reads the current account token', () => {
    expect(
      readPageSession(
        storageWith({ current: 'u1', sessions: { u1: { token }, u2: { token: { ...token, access_token: 'b' } } } }),
      ),
    ).toEqual(token);
  });

  it.each([
    ['no session', null],
    ['broken JSON', '{'],
    ['signed out (current cleared)', { sessions: { u1: { token, signedOut: true } } }],
    [
      'signed out flag',
      { current: 'u1', sessions: { u1: { token: { ...token, access_token: '' }, signedOut: true } } },
    ],
    ['unknown current', { current: 'zz', sessions: { u1: { token } } }],
  ])('gives null for %s', (_label, value) => {
    expect(readPageSession(storageWith(value))).toBeNull();
  });
});
