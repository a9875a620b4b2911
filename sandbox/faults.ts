import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultConfig } from './config';
import { sendError, sendText, sleep, ApiError } from './http';

/**
 * Applies `latencyMs` and the first matching `failRequests` rule (each rule fires `times` times).
 * Returns true when the request was answered with an injected failure.
 */
export async function handleFaults(
  faults: FaultConfig,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  const target = url.pathname + url.search;
  const rule = faults.failRequests.find(
    (r) => r.times > 0 && (!r.method || r.method.toUpperCase() === req.method) && new RegExp(r.path).test(target),
  );
  if (!rule) return false;
  rule.times -= 1;
  req.resume();
  if (rule.httpStatus) sendText(res, rule.httpStatus, rule.msg ?? `injected failure ${rule.httpStatus}`);
  else sendError(res, new ApiError(rule.code ?? 50000, rule.msg ?? 'Injected failure'));
  return true;
}
