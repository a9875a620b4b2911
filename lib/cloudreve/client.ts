/**
 * The Cloudreve v4 JSON client: base URL, Bearer token, `{code, data, msg}` envelope →
 * data or CloudreveError (docs/cloudreve-api.md#response-envelope). fetch only, so it runs in a service
 * worker and in Node.
 */
import { AppError, CloudreveError, type ErrorCode } from '../errors';
import { Code, type Response as Envelope } from './types';

export const API_PREFIX = '/api/v4';

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** A Blob/ArrayBuffer/typed array/stream is sent raw; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Attach the Bearer token (default true). */
  auth?: boolean;
  /** Told when an attempt got no answer and may have reached the server (a job's retrying fetch, lib/net/retrying-fetch.ts). */
  onUnanswered?: () => void;
}

export interface CloudreveClientOptions {
  /** e.g. `https://cloud.example.com` (no trailing slash needed). */
  origin: string;
  fetch?: typeof fetch;
  getAccessToken: () => Promise<string | undefined>;
}

/** Maps a server code to the extension's error code (brief; docs/cloudreve-api.md#error-codes). */
export function errorCodeFor(serverCode: number): ErrorCode {
  switch (serverCode) {
    case Code.CheckLogin:
    case Code.CredentialInvalid:
      return 'sign-in-required';
    case Code.GroupNotAllowed:
      return 'group-not-allowed';
    case Code.ObjectExist:
      return 'destination-exists';
    case Code.ParentNotExist:
    case Code.FileNotFound:
    case Code.NotFound:
      return 'not-found';
    default:
      return 'cloudreve';
  }
}

/** Builds the CloudreveError for an error envelope. */
export function envelopeError(envelope: Envelope<unknown>): CloudreveError {
  const details = envelope.aggregated_error ? { aggregatedError: envelope.aggregated_error } : {};
  return new CloudreveError(
    errorCodeFor(envelope.code),
    envelope.code,
    envelope.msg || `Cloudreve error ${envelope.code}`,
    envelope.correlation_id,
    details,
  );
}

/** `fetch` that turns transport failures into AppError('network') and lets aborts through. */
export async function fetchOrNetworkError(fetcher: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetcher(url, init);
  } catch (error) {
    if (init.signal?.aborted || (error instanceof DOMException && error.name === 'AbortError')) throw error;
    // A job's retrying fetch (lib/net/retrying-fetch.ts) already says what the server answered.
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('network', `Cannot reach ${new URL(url).origin}: ${message}`, { url });
  }
}

function isRawBody(body: unknown): body is BodyInit {
  return (
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof ReadableStream ||
    body instanceof URLSearchParams ||
    body instanceof FormData
  );
}

/** Creates a client bound to one Cloudreve origin. */
export function createCloudreveClient(options: CloudreveClientOptions) {
  const origin = new URL(options.origin).origin;
  // Bound so browsers don't throw "Illegal invocation" when fetch is called detached.
  const fetcher: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  /** `/file` → `${origin}/api/v4/file`; absolute URLs are kept as they are. */
  function url(path: string, query?: Record<string, QueryValue>): URL {
    const target = /^https?:\/\//i.test(path) ? new URL(path) : new URL(API_PREFIX + path, origin);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) target.searchParams.set(key, String(value));
    }
    return target;
  }

  /** Sends a request and returns the envelope for codes 0 and 203; throws otherwise. */
  async function requestEnvelope<T>(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<{ code: number; data: T }> {
    const target = url(path, opts.query);
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (opts.auth !== false) {
      // Security rule: the token goes only to the origin it came from.
      if (target.origin !== origin) {
        throw new AppError('forbidden-origin', `Refusing to send the Cloudreve token to ${target.origin}`);
      }
      const token = await options.getAccessToken();
      if (token) headers.Authorization = `Bearer ${token}`;
    }
    let body: BodyInit | undefined;
    if (opts.body !== undefined) {
      if (isRawBody(opts.body)) {
        body = opts.body;
        headers['Content-Type'] ??= 'application/octet-stream';
      } else {
        body = JSON.stringify(opts.body);
        headers['Content-Type'] = 'application/json';
      }
    }
    // Never follow a redirect: the answer must come from this origin, and a redirect to another
    // one would show a foreign answer as the user's (Fetch Standard §4.4 "HTTP-redirect fetch",
    // `redirect: "manual"`).
    const response = await fetchOrNetworkError(fetcher, target.href, {
      method,
      headers,
      body,
      signal: opts.signal,
      redirect: 'manual',
      // Read by a job's retrying fetch (lib/net/retrying-fetch.ts `UnansweredAware`); fetch ignores it.
      ...(opts.onUnanswered ? { onUnanswered: opts.onUnanswered } : {}),
    } as RequestInit);
    refuseRedirect(response, target);
    const text = await response.text();
    let envelope: Envelope<T> | undefined;
    try {
      envelope = JSON.parse(text) as Envelope<T>;
    } catch {
      envelope = undefined;
    }
    if (!envelope || typeof envelope.code !== 'number') throw httpError(response, text);
    if (envelope.code === Code.Success || envelope.code === Code.Continue) {
      return { code: envelope.code, data: envelope.data as T };
    }
    throw envelopeError(envelope);
  }

  /** Sends a request and returns `data` (203 counts as a value, not an error). */
  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    return (await requestEnvelope<T>(method, path, opts)).data;
  }

  return { origin, fetch: fetcher, url, request, requestEnvelope };
}

export type CloudreveClient = ReturnType<typeof createCloudreveClient>;

/**
 * A browser answers a redirect under `redirect: "manual"` with an opaque
 * response (type `opaqueredirect`, status 0, no headers); Node's fetch hands
 * back the 3xx itself.
 */
function refuseRedirect(response: Response, target: URL): void {
  const redirected = response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
  if (!redirected) return;
  const location = response.headers.get('location');
  const where = location ? ` to ${new URL(location, target).href}` : '';
  throw new AppError('redirect-refused', `${target.origin}${target.pathname} redirects${where}`, {
    url: target.href,
  });
}

/**
 * Non-JSON answers: gin's plain 404 for unknown routes, admin-CORS bare 403
 * (docs/cloudreve-api.md#answers-that-are-not-json, docs/cloudreve-api.md#cors).
 */
function httpError(response: Response, text: string): CloudreveError {
  const code: ErrorCode =
    response.status === 404 ? 'not-found' : response.status === 403 ? 'forbidden-origin' : 'cloudreve';
  const snippet = text.slice(0, 200);
  return new CloudreveError(
    code,
    response.status,
    `HTTP ${response.status} from Cloudreve${snippet ? `: ${snippet}` : ''}`,
  );
}
