/**
 * A reverse proxy on loopback that fails a share of the requests it forwards, the way a
 * flaky home server behind nginx does: HTTP 500, 502 and 503 answers, connections reset
 * before any answer, and bodies cut off halfway. Decisions come from a seeded generator,
 * so a run is reproducible; `stop()`/`resume()` make the backend vanish and come back.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault = '500' | '502' | '503' | 'reset' | 'cut-body';
const FAULTS: Fault[] = ['500', '502', '503', 'reset', 'cut-body'];

export interface FlakyProxyOptions {
  /** Where requests go, e.g. the sandbox's URL. */
  target: string;
  /** Share of requests that fail, 0–1. */
  failureRate: number;
  seed?: number;
  /** Which faults to draw from (default all). */
  faults?: Fault[];
  /** Only requests this returns true for may fail (default all). */
  eligible?: (method: string, path: string) => boolean;
  /** Requests that may fail only with an answer (500/502/503), never by a lost answer. */
  answerOnly?: (method: string, path: string) => boolean;
  /**
   * Asked once the server answered a request: true drops that answer (the client's connection
   * is reset), as when it is lost on the way back after the server acted on the request.
   */
  loseAnswer?: (method: string, path: string) => boolean;
  /**
   * Forward the client's Host header as it is (as nginx does with `proxy_set_header Host
   * $host`): a WebDAV server compares a MOVE's Destination with it (x/net/webdav answers 502).
   */
  keepHost?: boolean;
}

/** Called for every request before it is answered or forwarded (e.g. to take the server down). */
export type RequestHook = (method: string, path: string) => void;

export interface FlakyProxy {
  url: string;
  /** How many requests got each fault, and how many went through. */
  counts: Record<Fault | 'passed', number>;
  setFailureRate(rate: number): void;
  onRequest(hook: RequestHook | undefined): void;
  /** Refuses every connection (as a stopped server) until `resume()`. */
  down(): void;
  resume(): void;
  close(): Promise<void>;
}

/** Mulberry32: small, seeded, good enough to pick faults. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFlakyProxy(options: FlakyProxyOptions): Promise<FlakyProxy> {
  const target = new URL(options.target);
  const random = seeded(options.seed ?? 13);
  const faults = options.faults ?? FAULTS;
  let rate = options.failureRate;
  let isDown = false;
  let hook: RequestHook | undefined;
  const counts = Object.fromEntries([...FAULTS, 'passed'].map((key) => [key, 0])) as FlakyProxy['counts'];
  const sockets = new Set<Socket>();

  const forward = (req: IncomingMessage, res: ServerResponse, cut: boolean) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: options.keepHost ? req.headers : { ...req.headers, host: target.host },
      },
      (answer) => {
        if (options.loseAnswer?.(req.method ?? 'GET', new URL(req.url ?? '/', 'http://proxy').pathname)) {
          answer.resume();
          return void res.socket?.destroy();
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const length = Number(answer.headers['content-length'] ?? 0);
        if (!cut || length < 2) return void answer.pipe(res);
        // Send half of the body, then drop the connection.
        let sent = 0;
        answer.on('data', (chunk: Buffer) => {
          const room = Math.floor(length / 2) - sent;
          if (room <= 0) return;
          const piece = chunk.subarray(0, room);
          sent += piece.length;
          res.write(piece);
          if (sent >= Math.floor(length / 2)) {
            answer.destroy();
            res.socket?.destroy();
          }
        });
      },
    );
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    hook?.(req.method ?? 'GET', path);
    if (isDown) return void req.socket.destroy();
    const mayFail = options.eligible?.(req.method ?? 'GET', path) ?? true;
    let fault = mayFail && random() < rate ? faults[Math.floor(random() * faults.length)]! : undefined;
    if ((fault === 'reset' || fault === 'cut-body') && options.answerOnly?.(req.method ?? 'GET', path)) fault = '503';
    if (!fault) {
      counts.passed++;
      return forward(req, res, false);
    }
    counts[fault]++;
    if (fault === 'cut-body') return forward(req, res, true);
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    req.resume();
    res.writeHead(Number(fault), { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end(`injected ${fault}`);
  });
  server.on('connection', (socket) => {
    if (isDown) return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    setFailureRate: (next) => void (rate = next),
    onRequest: (next) => void (hook = next),
    down() {
      isDown = true;
      for (const socket of sockets) socket.destroy();
    },
    resume: () => void (isDown = false),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
