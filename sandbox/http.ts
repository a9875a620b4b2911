import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Cloudreve JSON envelope (BE `pkg/serializer/response.go`); `data` omitted when undefined. */
export interface Envelope {
  code: number;
  data?: unknown;
  msg: string;
  aggregated_error?: Record<string, { code: number; msg: string; correlation_id?: string }>;
  correlation_id?: string;
}

/** Thrown by handlers to answer with an error envelope. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    msg: string,
    readonly extra: Partial<Envelope> = {},
  ) {
    super(msg);
  }
}

/** Always HTTP 200 on JSON routes (docs/cloudreve-api.md#response-envelope). */
export function sendJson(res: ServerResponse, body: Envelope): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Success envelope. */
export function sendData(res: ServerResponse, data?: unknown): void {
  sendJson(res, data === undefined || data === null ? { code: 0, msg: '' } : { code: 0, data, msg: '' });
}

/**
 * Error envelope; `correlation_id` on everything except 40001 binding errors (docs/cloudreve-api.md#response-envelope).
 */
export function sendError(res: ServerResponse, err: ApiError): void {
  const body: Envelope = { code: err.code, msg: err.message, ...err.extra };
  if (err.code !== 40001 && !body.correlation_id) body.correlation_id = randomUUID();
  sendJson(res, body);
}

/** Plain-text response (gin's 404 page, DAV errors). */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Reads the whole body, up to `limit` bytes (larger → null). */
export async function readBody(req: IncomingMessage, limit = 512 * 1024 * 1024): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? null : Buffer.concat(chunks);
}

/** Parses a JSON object body; anything else is a 40001 binding error. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, 16 * 1024 * 1024);
  if (!body || body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the binding error
  }
  throw new ApiError(40001, 'Invalid JSON body');
}

/** 40001 unless `value` is a non-empty string. */
export function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw new ApiError(40001, `Key: '${field}' Error:Field validation for '${field}' failed on the 'required' tag`);
  return value;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
