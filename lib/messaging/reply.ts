/**
 * The one reply envelope of every request/response message (the command
 * protocol and the offscreen document): a value, or a serialized error that
 * keeps its code, so the caller rethrows the same `AppError` the handler threw.
 */
import { AppError, deserializeError, serializeError, type SerializedError } from '../errors';

export type Reply<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

/** Runs `work` and answers its value or its error as a reply (never rejects). */
export function replyOf<T>(work: () => T | Promise<T>): Promise<Reply<T>> {
  return Promise.resolve()
    .then(work)
    .then(
      (value): Reply<T> => ({ ok: true, value }),
      (error: unknown): Reply<T> => ({ ok: false, error: serializeError(error) }),
    );
}

/** The reply's value, or its error rethrown; `what` names the message when nobody answered. */
export function unwrapReply<T>(reply: Reply<T> | undefined, what: string): T {
  if (!reply) throw new AppError('internal', `No handler answered "${what}"`);
  if (!reply.ok) throw deserializeError(reply.error);
  return reply.value;
}
