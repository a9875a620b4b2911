/**
 * The one typed protocol between extension pages / content scripts and the
 * service worker (style.md: one ProtocolMap whose members are function
 * signatures). Handler errors cross serialized and are rethrown at the sender,
 * so a failure in the worker becomes a rejected promise in the popup.
 */
import { browser, type Browser } from '#imports';
import { deserializeError, serializeError, type SerializedError } from './errors';

export interface ProtocolMap {
  /** Liveness check; the e2e harness and the popup use it to wake the worker. */
  ping(): { version: string };
}

export type MessageType = keyof ProtocolMap;
type Args<K extends MessageType> = Parameters<ProtocolMap[K]>;
type Result<K extends MessageType> = Awaited<ReturnType<ProtocolMap[K]>>;

interface Envelope<K extends MessageType = MessageType> {
  /** Marks our messages so unrelated runtime messages are ignored. */
  protocol: 'cloudreve-archiver/1';
  type: K;
  args: Args<K>;
}

type Reply<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

/** Sends `type` to the service worker and resolves with its typed result. */
export async function sendMessage<K extends MessageType>(type: K, ...args: Args<K>): Promise<Result<K>> {
  const envelope: Envelope<K> = { protocol: 'cloudreve-archiver/1', type, args };
  const reply = (await browser.runtime.sendMessage(envelope)) as Reply<Result<K>> | undefined;
  if (!reply) throw new Error(`No handler answered "${type}"`);
  if (!reply.ok) throw deserializeError(reply.error);
  return reply.value;
}

export type Sender = Browser.runtime.MessageSender;

export type Handlers = {
  [K in MessageType]: (sender: Sender, ...args: Args<K>) => Promise<Result<K>> | Result<K>;
};

function isEnvelope(message: unknown): message is Envelope {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as Envelope).protocol === 'cloudreve-archiver/1' &&
    typeof (message as Envelope).type === 'string' &&
    Array.isArray((message as Envelope).args)
  );
}

/** Registers the worker-side handlers; call once from the background entrypoint. */
export function registerHandlers(handlers: Handlers): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: Sender) => {
    if (!isEnvelope(message) || !Object.hasOwn(handlers, message.type)) return undefined;
    const handler = handlers[message.type] as (sender: Sender, ...args: unknown[]) => unknown;
    return Promise.resolve()
      .then(() => handler(sender, ...message.args))
      .then(
        (value): Reply<unknown> => ({ ok: true, value }),
        (error: unknown): Reply<unknown> => ({ ok: false, error: serializeError(error) }),
      );
  });
}
