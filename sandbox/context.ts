import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxConfig } from './config';
import type { FileStore } from './fs';
import { ApiError } from './http';
import type { SandboxState, SandboxUser } from './state';
import type { ShareStore } from './shares';
import type { ProviderKeys } from './storage/keys';

/** What every handler can reach. */
export interface App {
  config: SandboxConfig;
  state: SandboxState;
  files: FileStore;
  /** Absolute base for URLs handed out (signed content URLs, DAV redirects). */
  baseUrl(): string;
  /** True once `stop()` began: background tasks must not touch the removed root. */
  isStopped(): boolean;
  /** The second loopback origin serving the OneDrive, Qiniu and Upyun stand-ins. */
  storageUrl(): string;
  /** The stand-in providers' key pair. */
  providerKeys: ProviderKeys;
  /** Share links (sandbox/shares.ts). */
  shares: ShareStore;
}

/** One API request after auth. */
export interface ApiContext {
  app: App;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
  user: SandboxUser | null;
}

/** One route of the JSON API; `pattern` is matched against the path after /api/v4. */
export interface Route {
  method: string;
  pattern: RegExp;
  handle(ctx: ApiContext): Promise<void> | void;
}

/** The signed-in user, or 401 "Login required" (BE `middleware/auth.go` `LoginRequired`). */
export function requireUser(ctx: ApiContext): SandboxUser {
  if (!ctx.user) throw new ApiError(401, 'Login required');
  return ctx.user;
}
