/**
 * Talks to the extension from a Playwright page of the extension's origin,
 * through the same envelope the extension's own pages use (lib/messaging/protocol.ts).
 * Shared by the tests, bench/ and scripts/.
 */
import type { Page } from 'playwright-core';
import type { MessageType, ProtocolMap } from '../lib/messaging/protocol';
import type { Reply } from '../lib/messaging/reply';
import type { ServerSecrets } from '../lib/servers/secret-store';

/** The few `chrome` APIs tests call; use inside page.evaluate as `(globalThis as unknown as { chrome: ChromeLike }).chrome` (evaluated functions cannot reference imports). */
export interface ChromeLike {
  runtime: { sendMessage(message: unknown): Promise<unknown>; getManifest(): Record<string, unknown> };
  storage: { local: { get(key?: string | null): Promise<Record<string, unknown>>; set(items: object): Promise<void> } };
  downloads: { search(query: object): Promise<{ id: number; filename: string; fileSize: number; state: string }[]> };
}

/** Sends a protocol message from `page` and returns the raw reply. */
export async function sendRaw<K extends MessageType>(
  page: Page,
  type: K,
  ...args: Parameters<ProtocolMap[K]>
): Promise<Reply<Awaited<ReturnType<ProtocolMap[K]>>>> {
  return page.evaluate(
    ([type, args]) =>
      (globalThis as unknown as { chrome: ChromeLike }).chrome.runtime.sendMessage({
        protocol: 'cloudreve-archiver/1',
        type,
        args,
      }),
    [type, args] as const,
  ) as Promise<Reply<Awaited<ReturnType<ProtocolMap[K]>>>>;
}

/** Sends a protocol message and returns its value, or throws with the worker's error code. */
export async function send<K extends MessageType>(
  page: Page,
  type: K,
  ...args: Parameters<ProtocolMap[K]>
): Promise<Awaited<ReturnType<ProtocolMap[K]>>> {
  const reply = await sendRaw(page, type, ...args);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.value;
}

/** The secrets the worker keeps for each server (lib/servers/secret-store.ts), read from an extension page. */
export async function storedSecrets(page: Page): Promise<Record<string, ServerSecrets>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, ServerSecrets>>((resolve, reject) => {
        const open = indexedDB.open('cloudreve-archiver-secrets');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction('secrets').objectStore('secrets').getAll();
          read.onerror = () => reject(read.error);
          read.onsuccess = () => {
            open.result.close();
            const rows = read.result as (ServerSecrets & { id: string })[];
            resolve(Object.fromEntries(rows.map(({ id, ...secrets }) => [id, secrets])));
          };
        };
      }),
  );
}
