/**
 * The one typed protocol between extension pages / content scripts and the
 * service worker (style.md: one ProtocolMap whose members are function
 * signatures). Handler errors cross serialized and are rethrown at the sender,
 * so a failure in the worker becomes a rejected promise in the popup.
 *
 * Every message names who may send it: `extension` (our own pages: popup,
 * options, browse) or `page` (the content script on a connected server's
 * origin). Anything else is refused before a handler runs.
 */
import { browser, type Browser } from '#imports';
import type { TokenPair } from '../cloudreve/auth';
import { AppError } from '../errors';
import type { CompressionChoice, Job, JobAccount } from '../jobs/types';
import type { ServerView } from '../servers/types';
import type { LastChoice, Settings } from '../settings';
import type {
  ArchiveRequest,
  ArchiveStarted,
  DavListing,
  FolderItem,
  PartsPreview,
  PreflightFacts,
  PreviewStatus,
} from './payloads';
import { replyOf, unwrapReply, type Reply } from './reply';

export type LoginReply = { kind: 'signed-in'; server: ServerView } | { kind: 'two-factor'; sessionId: string };

/** What the content script learns about the server it runs on. */
export interface PageContext {
  server: ServerView;
  settings: Settings;
  /** What the dialog chose last time on this server (mode, compression, destination), if anything. */
  lastChoice?: LastChoice;
}

export interface ProtocolMap {
  /** Liveness check; wakes the worker. `startedAt` tells one worker instance from the next. */
  ping(): { version: string; startedAt: number };

  listJobs(): Job[];
  startArchive(request: ArchiveRequest): ArchiveStarted;
  cancelJob(jobId: string): void;
  retryJob(jobId: string): ArchiveStarted;
  /** "Run in the browser instead" for a server task. */
  runInBrowser(jobId: string): ArchiveStarted;
  clearFinished(): void;
  /** Popup "load more": one more page of every server's task list. */
  loadMoreTasks(): void;
  /**
   * Downloads a stored Cloudreve file (an archive result) through a signed URL; refused with
   * `other-account` unless the server is signed in with `account`, the file's owner.
   */
  downloadResult(input: { serverId: string; uri: string; account: JobAccount | undefined }): void;

  listServers(): ServerView[];
  /** Detects the server at `url` and connects it (host permission must already be granted). */
  addServer(input: { url: string }): ServerView;
  addDavServer(input: { url: string; username: string; password: string }): ServerView;
  /** The browse page: one folder of a server's WebDAV account (names, sizes, dates; never credentials). */
  davList(serverId: string, path: string): DavListing;
  /** The browse page's destination picker: creates folder `name` in `parent`; an existing name is `folder-exists`. */
  davCreateFolder(serverId: string, parent: string, name: string): FolderItem;
  /** Gives a signed-in Cloudreve server the extension's own WebDAV account (docs/cloudreve-api.md#webdav-accounts). */
  provisionDav(serverId: string): ServerView;
  removeServer(serverId: string): void;
  /** Re-reads version, account and permissions; answers the fresh view. */
  testConnection(serverId: string): ServerView;
  getCaptcha(serverId: string): { required: boolean; image?: string; ticket?: string };
  login(input: { serverId: string; email: string; password: string; captcha?: string; ticket?: string }): LoginReply;
  loginTwoFactor(input: { serverId: string; sessionId: string; otp: string }): LoginReply;
  signOut(serverId: string): void;

  getSettings(): Settings;
  saveSettings(settings: Settings): Settings;

  /** Content script: the page's signed-in session (null when signed out). */
  reportPageSession(token: TokenPair | null): void;
  /** Content script: the connected server for this page's origin, or null. */
  getPageContext(): PageContext | null;
  /** Content script: the server's own names of the selected items the dialog names (never the page's text). */
  describeSelection(uris: string[]): { names: string[] };
  /** Content script: the user chose, in the page's dialog, to let the extension use the page's account. */
  usePageAccount(): PageContext | null;
  /** Content script, destination picker: the folders inside `folderUri` of the page's own drive. */
  listFolders(folderUri: string): { folders: FolderItem[] };
  /** Content script, destination picker: creates folder `name` in `parentUri`; an existing name is `folder-exists`. */
  createFolder(parentUri: string, name: string): FolderItem;
  /**
   * Starts walking a selection for a preview before Start: the page's own (content script; its
   * origin names the server), or WebDAV paths of `serverId` (the browse page).
   */
  startPreview(uris: string[], serverId?: string): { previewId: string };
  previewStatus(previewId: string): PreviewStatus;
  cancelPreview(previewId: string): void;
  /** How a split archive of a finished preview would be cut into parts of at most `partBytes`. */
  previewParts(previewId: string, partBytes: number, compression: CompressionChoice): PartsPreview;
  /**
   * Free capacity, the folder's single-file limit, the browser's free storage, past speeds. The browse
   * page names its server (`serverId`): a WebDAV folder tells neither capacity nor a limit.
   */
  preflightFacts(folder: string, serverId?: string): PreflightFacts;
  /** Content script: starts an archive of the page's selection on its own server. */
  archiveFromPage(request: Omit<ArchiveRequest, 'serverId'>): ArchiveStarted;
}

export type MessageType = keyof ProtocolMap;
export type Args<K extends MessageType> = Parameters<ProtocolMap[K]>;
export type Result<K extends MessageType> = Awaited<ReturnType<ProtocolMap[K]>>;

export const PROTOCOL = 'cloudreve-archiver/1';

interface Envelope<K extends MessageType = MessageType> {
  /** Marks our messages so unrelated runtime messages are ignored. */
  protocol: typeof PROTOCOL;
  type: K;
  args: Args<K>;
}

/** Sends `type` to the service worker and resolves with its typed result. */
export async function sendMessage<K extends MessageType>(type: K, ...args: Args<K>): Promise<Result<K>> {
  const envelope: Envelope<K> = { protocol: PROTOCOL, type, args };
  return unwrapReply((await browser.runtime.sendMessage(envelope)) as Reply<Result<K>> | undefined, type);
}

export type Sender = Browser.runtime.MessageSender;

/** Who sent a message, as far as the browser vouches for it. */
export type Caller = { kind: 'extension' } | { kind: 'page'; origin: string; tabId?: number };

/** Who may send a message; 'any' still requires a sender the browser vouches for. */
export type Audience = Caller['kind'] | 'any';

/** The handler of `K` for callers of `from`: a `page` handler gets the page's origin without a check. */
export interface Handler<K extends MessageType, From extends Audience = Audience> {
  from: From;
  handle: (
    caller: From extends 'any' ? Caller : Extract<Caller, { kind: From }>,
    ...args: Args<K>
  ) => Promise<Result<K>> | Result<K>;
}

export type Handlers = {
  [K in MessageType]: Handler<K, 'extension'> | Handler<K, 'page'> | Handler<K, 'any'>;
};

/**
 * Classifies a sender. Our pages have our extension's URL and no other
 * extension can reach us (no `externally_connectable`); content scripts have
 * a tab and the page's origin (Chrome's `sender.origin`, else its URL).
 */
export function identifyCaller(sender: Sender, extensionId: string, extensionOrigin: string): Caller | undefined {
  if (sender.id !== extensionId) return undefined;
  const url = sender.url ?? '';
  if (url.startsWith(extensionOrigin)) return { kind: 'extension' };
  if (!sender.tab) return undefined;
  const origin = sender.origin ?? safeOrigin(url);
  return origin ? { kind: 'page', origin, tabId: sender.tab.id } : undefined;
}

function safeOrigin(url: string): string | undefined {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

function isEnvelope(message: unknown): message is Envelope {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as Envelope).protocol === PROTOCOL &&
    typeof (message as Envelope).type === 'string' &&
    Array.isArray((message as Envelope).args)
  );
}

/** Registers the worker-side handlers; call once from the background entrypoint. */
export function registerHandlers(handlers: Handlers): void {
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;
  browser.runtime.onMessage.addListener((message: unknown, sender: Sender) => {
    if (!isEnvelope(message) || !Object.hasOwn(handlers, message.type)) return undefined;
    const handler = handlers[message.type] as {
      from: Audience;
      handle: (caller: Caller, ...args: unknown[]) => unknown;
    };
    const caller = identifyCaller(sender, browser.runtime.id, extensionOrigin);
    return replyOf(() => {
      if (!caller || (handler.from !== 'any' && caller.kind !== handler.from)) {
        throw new AppError('forbidden-origin', `"${message.type}" is not accepted from this sender`);
      }
      return handler.handle(caller, ...message.args);
    });
  });
}
