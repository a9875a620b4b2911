/**
 * Small hostile servers for the attack suite (test/security/): a proxy in
 * front of the sandbox that answers chosen requests itself (redirects, forged
 * listings, foreign download URLs) and passes everything else through, and a
 * bare server on another loopback origin that records who called it. Both
 * listen on a free port and answer with no delay of their own.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Answers a request itself, or undefined to pass it on. */
export type Intercept = (req: IncomingMessage, url: URL) => Answer | undefined;

export interface Seen {
  method: string;
  path: string;
  cookie?: string;
  authorization?: string;
  /** WebDAV `Depth`. */
  depth?: string;
}

export interface HostileServer {
  url: string;
  /** Every request, in order. */
  seen: Seen[];
  /** Rules tried in order before the request is passed on (proxy) or answered 404 (bare server). */
  intercepts: Intercept[];
  stop(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function answer(res: import('node:http').ServerResponse, { status, headers, body }: Answer) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

function start(
  onPass: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<HostileServer> {
  const seen: Seen[] = [];
  const intercepts: Intercept[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push({
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      cookie: req.headers.cookie,
      authorization: req.headers.authorization,
      depth: req.headers.depth as string | undefined,
    });
    for (const intercept of intercepts) {
      const found = intercept(req, url);
      if (found) return (req.resume(), answer(res, found));
    }
    onPass(req, res);
  });
  return listen(server).then((url) => ({
    url,
    seen,
    intercepts,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }));
}

/** A proxy to `target` (the sandbox) that lets `intercepts` answer first. */
export function startHostileProxy(target: string): Promise<HostileServer> {
  return start((req, res) => {
    const upstream = request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
}

/** A server on its own loopback origin: `intercepts` answer, everything else is a 404. */
export function startForeignServer(): Promise<HostileServer> {
  return start((req, res) => {
    req.resume();
    answer(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not here' });
  });
}

/** A Cloudreve JSON envelope (`{code: 0, data}`). */
export function envelope(data: unknown): Answer {
  return { status: 200, body: JSON.stringify({ code: 0, data, msg: '' }) };
}
