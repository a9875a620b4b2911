import { describe, expect, it } from 'vitest';
import { createCloudreveClient } from './client';
import { DAV_ACCOUNT_NAME, isReadOnlyAccount, provisionDavAccount } from './dav-accounts';
import { createFakeFetch, envelope, ok, type FakeHandler } from './testing/fake-fetch';

const ORIGIN = 'https://cloud.example';

function account(id: string, name: string, password: string, options = '') {
  return { id, created_at: '2024-05-01T12:00:00Z', name, uri: 'cloudreve://my', password, options };
}

function clientWith(routes: [string, FakeHandler][]) {
  const fake = createFakeFetch(routes);
  const client = createCloudreveClient({ origin: ORIGIN, fetch: fake.fetch, getAccessToken: async () => 'jwt' });
  return { client, calls: fake.calls };
}

describe('isReadOnlyAccount', () => {
  it.each([
    ['', false],
    ['AQ==', true], // bit 0
    ['Ag==', false], // proxy only
    ['BQ==', true], // readonly + disable_sys_files
  ])('options %j → %s', (options, expected) => {
    expect(isReadOnlyAccount({ options })).toBe(expected);
  });
});

describe('provisionDavAccount', () => {
  it('reuses an existing account of ours, found on a later page', async () => {
    const { client, calls } = clientWith([
      [
        'GET /api/v4/devices/dav',
        ({ url }) =>
          url.searchParams.get('next_page_token') === 'p2'
            ? ok({ accounts: [account('b', DAV_ACCOUNT_NAME, 'secretb', 'AQ==')], pagination: {} })
            : ok({ accounts: [account('a', 'Phone', 'secreta')], pagination: { next_token: 'p2' } }),
      ],
    ]);
    const creds = await provisionDavAccount(client, { origin: `${ORIGIN}/home`, email: 'me@example.com' });
    expect(creds).toEqual({
      url: `${ORIGIN}/dav/`,
      username: 'me@example.com',
      password: 'secretb',
      flavor: 'cloudreve',
      readOnly: true,
    });
    expect(calls.map((c) => `${c.method} ${c.url.searchParams.get('page_size')}`)).toEqual(['GET 50', 'GET 50']);
    expect(calls[0]!.headers.get('Authorization')).toBe('Bearer jwt');
  });

  it('creates the account on the whole drive when none is ours', async () => {
    const { client, calls } = clientWith([
      ['GET /api/v4/devices/dav', () => ok({ accounts: null, pagination: {} })],
      ['PUT /api/v4/devices/dav', ({ json }) => ok({ ...account('n', 'x', 'fresh'), ...(json as object) })],
    ]);
    const creds = await provisionDavAccount(client, { origin: ORIGIN, email: 'me@example.com' });
    expect(creds).toMatchObject({ password: 'fresh', readOnly: false });
    expect(calls[1]!.json).toEqual({ uri: 'cloudreve://my', name: DAV_ACCOUNT_NAME });
  });

  it('passes the group refusal (40007) through as group-not-allowed', async () => {
    const { client } = clientWith([['GET /api/v4/devices/dav', () => envelope(40007, undefined, 'no webdav')]]);
    await expect(provisionDavAccount(client, { origin: ORIGIN, email: 'me@example.com' })).rejects.toMatchObject({
      code: 'group-not-allowed',
    });
  });

  it('needs the account email (the WebDAV user name)', async () => {
    const { client, calls } = clientWith([]);
    await expect(provisionDavAccount(client, { origin: ORIGIN, email: '' })).rejects.toMatchObject({
      code: 'sign-in-required',
    });
    expect(calls).toEqual([]);
  });
});
