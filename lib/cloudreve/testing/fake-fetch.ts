/**
 * A tiny in-test stand-in for `fetch` that routes by method and path and records
 * every call. For unit tests only; integration tests use the real sandbox server.
 */

export interface FakeRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
  /** Body parsed as JSON (undefined when empty or not JSON). */
  json: unknown;
  /** The request's HTTP cache mode. */
  cache: RequestCache;
}

export type FakeHandler = (request: FakeRequest) => Response | Promise<Response>;

/** A JSON response with the Cloudreve envelope. */
export function envelope(code: number, data?: unknown, msg = '', extra: Record<string, unknown> = {}): Response {
  return Response.json({ code, data, msg, ...extra });
}

/** `{code: 0, data}`. */
export function ok(data?: unknown): Response {
  return envelope(0, data);
}

/** Routes `"METHOD /path"` (exact pathname) or `"METHOD *"`, in order; unmatched → HTTP 404. */
export function createFakeFetch(routes: [string, FakeHandler][]) {
  const calls: FakeRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw request.signal.reason;
    const body = new Uint8Array(await request.arrayBuffer());
    const text = new TextDecoder().decode(body);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const call: FakeRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body,
      json,
      cache: request.cache,
    };
    calls.push(call);
    for (const [key, handler] of routes) {
      const [method, path] = key.split(' ');
      if (method === call.method && (path === '*' || path === call.url.pathname)) return handler(call);
    }
    return new Response('404 page not found', { status: 404 });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}
