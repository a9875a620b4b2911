import { describe, expect, it } from 'vitest';
import { AppError, CloudreveError } from '../errors';
import { createCloudreveClient, errorCodeFor } from './client';
import { createFakeFetch, envelope, ok } from './testing/fake-fetch';

const origin = 'https://cloud.example';

function clientWith(routes: Parameters<typeof createFakeFetch>[0], token: string | null = 'ACCESS') {
  const fake = createFakeFetch(routes);
  const client = createCloudreveClient({
    origin: origin + '/',
    fetch: fake.fetch,
    getAccessToken: async () => token ?? undefined,
  });
  return { client, calls: fake.calls };
}

describe('errorCodeFor', () => {
  it.each([
    [401, 'sign-in-required'],
    [40020, 'sign-in-required'],
    [40007, 'group-not-allowed'],
    [40004, 'destination-exists'],
    [40016, 'not-found'],
    [40044, 'not-found'],
    [404, 'not-found'],
    [40081, 'cloudreve'],
    [50001, 'cloudreve'],
  ])('%i → %s', (code, expected) => {
    expect(errorCodeFor(code)).toBe(expected);
  });
});

describe('createCloudreveClient', () => {
  it('never follows a redirect: a 3xx is a redirect-refused error naming the target', async () => {
    const seen: RequestInit[] = [];
    const client = createCloudreveClient({
      origin,
      getAccessToken: async () => 'ACCESS',
      fetch: async (_url, init) => {
        seen.push(init ?? {});
        return new Response(null, { status: 302, headers: { location: 'https://evil.example/me' } });
      },
    });
    await expect(client.request('GET', '/user/me')).rejects.toMatchObject({
      code: 'redirect-refused',
      message: 'https://cloud.example/api/v4/user/me redirects to https://evil.example/me',
    });
    expect(seen[0]?.redirect).toBe('manual');
  });

  it('sends the Bearer token, query and JSON body to /api/v4 and unwraps data', async () => {
    const { client, calls } = clientWith([['POST /api/v4/file/url', () => ok({ urls: [] })]]);
    const data = await client.request('POST', '/file/url', {
      query: { a: 'x y', skip: undefined },
      body: { uris: ['cloudreve://my/a'] },
    });
    expect(data).toEqual({ urls: [] });
    const [call] = calls;
    expect(call!.url.href).toBe(`${origin}/api/v4/file/url?a=x+y`);
    expect(call!.headers.get('authorization')).toBe('Bearer ACCESS');
    expect(call!.headers.get('content-type')).toBe('application/json');
    expect(call!.json).toEqual({ uris: ['cloudreve://my/a'] });
  });

  it('sends Blob bodies raw and omits the token when auth is false', async () => {
    const { client, calls } = clientWith([['PUT /api/v4/file/content', () => ok()]]);
    await client.request('PUT', '/file/content', { body: new Blob(['abc']), auth: false });
    expect(new TextDecoder().decode(calls[0]!.body)).toBe('abc');
    expect(calls[0]!.headers.get('authorization')).toBeNull();
    expect(calls[0]!.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('returns code 203 as a value', async () => {
    const { client } = clientWith([['POST /api/v4/session/token', () => envelope(203, 'session-uuid')]]);
    await expect(client.requestEnvelope('POST', '/session/token')).resolves.toEqual({
      code: 203,
      data: 'session-uuid',
    });
    await expect(client.request('POST', '/session/token')).resolves.toBe('session-uuid');
  });

  it.each([
    [401, 'sign-in-required'],
    [40020, 'sign-in-required'],
    [40007, 'group-not-allowed'],
    [40004, 'destination-exists'],
    [40016, 'not-found'],
    [40073, 'cloudreve'],
  ])('throws CloudreveError for code %i (%s) with the correlation id', async (code, expected) => {
    const { client } = clientWith([['GET *', () => envelope(code, undefined, 'boom', { correlation_id: 'corr-1' })]]);
    const error = await client.request('GET', '/file').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CloudreveError);
    expect(error).toMatchObject({ code: expected, serverCode: code, message: 'boom', correlationId: 'corr-1' });
  });

  it('keeps aggregated_error in the details', async () => {
    const aggregated = { 'cloudreve://my/a': { code: 40016, msg: 'Path not exist' } };
    const { client } = clientWith([
      ['POST *', () => envelope(40081, undefined, 'partial', { aggregated_error: aggregated })],
    ]);
    await expect(client.request('POST', '/file/url')).rejects.toMatchObject({
      details: { aggregatedError: aggregated },
    });
  });

  it.each([
    [404, 'not-found'],
    [403, 'forbidden-origin'],
    [502, 'cloudreve'],
  ])('maps a non-JSON HTTP %i to %s', async (status, expected) => {
    const { client } = clientWith([['GET *', () => new Response('nope', { status })]]);
    await expect(client.request('GET', '/nope')).rejects.toMatchObject({ code: expected, serverCode: status });
  });

  it("turns fetch failures into AppError('network')", async () => {
    const client = createCloudreveClient({
      origin,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
      getAccessToken: async () => 'ACCESS',
    });
    const error = await client.request('GET', '/site/ping').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'network' });
  });

  it('lets aborts through unchanged', async () => {
    const { client } = clientWith([['GET *', () => ok()]]);
    const controller = new AbortController();
    controller.abort();
    await expect(client.request('GET', '/file', { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('refuses to send the token to another origin', async () => {
    const { client, calls } = clientWith([['GET *', () => ok()]]);
    await expect(client.request('GET', 'https://evil.example/api/v4/file')).rejects.toMatchObject({
      code: 'forbidden-origin',
    });
    await expect(client.request('GET', 'http://cloud.example/api/v4/file')).rejects.toMatchObject({
      code: 'forbidden-origin',
    });
    expect(calls).toHaveLength(0);
    await client.request('GET', 'https://other.example/x', { auth: false });
    expect(calls[0]!.headers.get('authorization')).toBeNull();
  });

  it('accepts absolute URLs on its own origin', async () => {
    const { client, calls } = clientWith([['GET /api/v4/file/info', () => ok({ name: 'a' })]]);
    await client.request('GET', `${origin}/api/v4/file/info`);
    expect(calls[0]!.headers.get('authorization')).toBe('Bearer ACCESS');
  });

  it('sends no Authorization header when there is no token', async () => {
    const { client, calls } = clientWith([['GET *', () => ok('4.18.0')]], null);
    await client.request('GET', '/site/ping');
    expect(calls[0]!.headers.has('authorization')).toBe(false);
  });
});
