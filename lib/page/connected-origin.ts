/**
 * The content script's first step: is this page's origin one the user
 * connected? Firefox match patterns carry no port (lib/servers/host-pattern.ts),
 * so the script registered for `http://host/*` also runs on every other port
 * of that host; Chromium's per-port registration can still outlive a removed
 * server until the worker re-syncs. On any other origin the script stays
 * inert: no button, no menu item, no session report.
 *
 * The worker answers from the sender's origin as the browser reports it
 * (lib/messaging/protocol.ts identifyCaller), never from anything the page could say.
 */
import { sendMessage, type PageContext } from '../messaging/protocol';

export async function isConnectedOrigin(
  askWorker: () => Promise<PageContext | null> = () => sendMessage('getPageContext'),
): Promise<boolean> {
  try {
    return (await askWorker()) !== null;
  } catch {
    // No answer (worker refused or unreachable): do nothing rather than act on an unknown origin.
    return false;
  }
}
