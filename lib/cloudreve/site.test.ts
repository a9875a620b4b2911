import { describe, expect, it } from 'vitest';
import { detectCloudreve } from './site';
import { createFakeFetch, ok } from './testing/fake-fetch';

describe('detectCloudreve', () => {
  it.each([
    ['4.18.0', { kind: 'v4', version: '4.18.0', pro: false }],
    ['4.18.0-pro', { kind: 'v4', version: '4.18.0-pro', pro: true }],
  ])('detects v4 %s', async (version, expected) => {
    const { fetch } = createFakeFetch([['GET /api/v4/site/ping', () => ok(version)]]);
    await expect(detectCloudreve('https://cloud.example/home?path=x', fetch)).resolves.toEqual(expected);
  });

  it('detects v3 (plain 404 on /api/v4)', async () => {
    const { fetch, calls } = createFakeFetch([['GET /api/v3/site/ping', () => ok('3.8.3')]]);
    await expect(detectCloudreve('https://cloud.example', fetch)).resolves.toEqual({ kind: 'v3', version: '3.8.3' });
    expect(calls.map((call) => call.url.pathname)).toEqual(['/api/v4/site/ping', '/api/v3/site/ping']);
  });

  it.each([
    ['an HTML page', () => new Response('<!doctype html>', { headers: { 'Content-Type': 'text/html' } })],
    ['another JSON API', () => Response.json({ status: 'ok' })],
    ['a 5.x answer', () => ok('5.0.0')],
  ])('answers none for %s', async (_, handler) => {
    const { fetch } = createFakeFetch([['GET *', handler]]);
    await expect(detectCloudreve('https://cloud.example', fetch)).resolves.toEqual({ kind: 'none' });
  });

  it('throws network when the origin is unreachable', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    await expect(detectCloudreve('https://cloud.example', fetch)).rejects.toMatchObject({ code: 'network' });
  });
});
