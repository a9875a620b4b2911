import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { GroupConfig, SandboxConfig } from './config';
import { PERMISSION } from './config';
import { encodeBoolset, encodeId } from './ids';
import { rfc3339, signJwt } from './jwt';
import type { FileStore } from './fs';

/** A signed-up user. */
export interface SandboxUser {
  num: number;
  id: string;
  email: string;
  password: string;
  nickname: string;
  group: string;
  totpSecret?: string;
  createdAt: number;
}

/** A WebDAV account (docs/cloudreve-api.md#webdav-accounts): the password selects the account. */
export interface DavAccount {
  num: number;
  id: string;
  userNum: number;
  name: string;
  uri: string;
  password: string;
  readonly: boolean;
  proxy: boolean;
  disableSysFiles: boolean;
  createdAt: number;
}

/** A chunked upload in progress (docs/cloudreve-api.md#upload-sessions). */
export interface UploadSession {
  id: string;
  userNum: number;
  segments: string[];
  size: number;
  chunkSize: number;
  chunkCount: number;
  received: Set<number>;
  tempPath: string;
  expiresAt: number;
  lastModified?: number;
  completing?: Promise<void>;
  /** Set for a session whose bytes go to a storage provider, not to the chunk route. */
  provider?: ProviderUpload;
}

/** What a provider session holds on the server side (BE `fs.UploadSession`: `UploadID`, `UploadURL`, `Credential`). */
export interface ProviderUpload {
  type: 's3' | 'onedrive' | 'qiniu' | 'upyun';
  callbackSecret: string;
  /** Object key at the provider (BE `SavePath`). */
  key: string;
  /** S3 and Qiniu multipart upload id; OneDrive upload-session token. */
  uploadId: string;
  /** Qiniu upload token / Upyun form signature. */
  credential?: string;
  /** OneDrive: the next byte expected. */
  nextByte: number;
  /** Qiniu: part number → its file and etag. */
  parts: Map<number, { path: string; etag: string; size: number }>;
  /** The provider holds the whole object in `tempPath` (OneDrive, Qiniu, Upyun). */
  stored: boolean;
}

/** Progress entry (BE `pkg/queue/task.go` `Progress`). */
export interface ProgressEntry {
  total: number;
  current: number;
  identifier: string;
}

/** An archive task (docs/cloudreve-api.md#archive-tasks). */
export interface SandboxTask {
  num: number;
  id: string;
  userNum: number;
  type: 'create_archive';
  status: 'queued' | 'processing' | 'suspending' | 'error' | 'canceled' | 'completed';
  createdAt: number;
  updatedAt: number;
  phase: string;
  props: { src_multiple: string[]; dst: string; failed: number };
  error?: string;
  errorHistory: string[];
  durationMs: number;
  /** Unix seconds when a suspended task resumes. */
  resumeTime?: number;
  retryCount: number;
  /** In-memory progress; null once the task left the registry (finished). */
  progress: Record<string, ProgressEntry> | null;
}

/** All mutable server state. Tests read it through `sandbox.state`. */
export function createState(config: SandboxConfig, files: FileStore) {
  const secret = randomBytes(32);
  const users: SandboxUser[] = config.users.map((user, index) => ({
    num: index + 1,
    id: encodeId('user', index + 1),
    email: user.email,
    password: user.password,
    nickname: user.nickname,
    group: user.group,
    totpSecret: user.totpSecret,
    createdAt: Date.now(),
  }));
  const davAccounts: DavAccount[] = [];
  let davSeq = 0;
  const revokedRoots = new Set<string>();
  const twoFactorSessions = new Map<string, { userNum: number; expiresAt: number }>();
  const captchas = new Map<string, string>();
  const uploads = new Map<string, UploadSession>();
  const tasks: SandboxTask[] = [];

  const groupOf = (user: SandboxUser): GroupConfig => {
    const group = config.groups.find((g) => g.name === user.group);
    if (!group) throw new Error(`user ${user.email} has unknown group ${user.group}`);
    return group;
  };
  const stateHash = (user: SandboxUser) =>
    createHash('sha256').update(`${user.email}\u0000${user.password}`).digest('hex').slice(0, 16);

  function createDavAccount(
    user: SandboxUser,
    input: Omit<DavAccount, 'num' | 'id' | 'userNum' | 'createdAt' | 'password'> & { password?: string },
  ): DavAccount {
    const num = ++davSeq;
    const account: DavAccount = {
      num,
      id: encodeId('dav', num),
      userNum: user.num,
      createdAt: Date.now(),
      ...input,
      // BE service/setting/webdav.go: util.RandString(32, lowerNum).
      password: input.password ?? randomString(32),
    };
    davAccounts.push(account);
    return account;
  }

  // Every user whose group has the webdav bit starts with one account (random password unless configured).
  users.forEach((user, index) => {
    if (groupOf(user).permissions.includes(PERMISSION.webdav)) {
      const password = config.users[index]!.davPassword;
      createDavAccount(user, {
        name: 'Sandbox',
        uri: 'cloudreve://my',
        password,
        readonly: false,
        proxy: false,
        disableSysFiles: false,
      });
    }
  });

  return {
    secret,
    users,
    davAccounts,
    revokedRoots,
    twoFactorSessions,
    captchas,
    uploads,
    tasks,
    files,
    groupOf,
    stateHash,
    createDavAccount,
    userByEmail: (email: string) => users.find((u) => u.email.toLowerCase() === email.toLowerCase()),
    userByNum: (num: number) => users.find((u) => u.num === num),
    userById: (id: string) => users.find((u) => u.id === id),
    hasPermission: (user: SandboxUser, bit: number) => groupOf(user).permissions.includes(bit),
    /** The text a captcha ticket expects; tests use it to pass login_captcha. */
    captchaAnswer: (ticket: string) => captchas.get(ticket),
    /** Access + refresh token pair (BE `pkg/auth/jwt.go` `Token`). */
    issueTokens(user: SandboxUser, rootTokenId: string = randomUUID()) {
      const now = Date.now();
      const accessExp = now + config.accessTtl * 1000;
      const refreshExp = now + config.refreshTtl * 1000;
      const base = { sub: user.id, nbf: Math.floor(now / 1000) - 1, iat: Math.floor(now / 1000) };
      return {
        access_token: signJwt({ ...base, token_type: 'access', exp: Math.floor(accessExp / 1000) }, secret),
        refresh_token: signJwt(
          {
            ...base,
            token_type: 'refresh',
            exp: Math.floor(refreshExp / 1000),
            root_token_id: rootTokenId,
            state_hash: stateHash(user),
          },
          secret,
        ),
        access_expires: rfc3339(accessExp),
        refresh_expires: rfc3339(refreshExp),
      };
    },
    /** The `User` object of login, user/me and site/config/basic; null = anonymous. */
    userJson(user: SandboxUser | null) {
      if (!user) {
        return {
          id: '',
          email: '',
          nickname: '',
          created_at: rfc3339(Date.now()),
          anonymous: true,
          group: { id: encodeId('group', 3), name: 'Anonymous', permission: encodeBoolset([PERMISSION.isAnonymous]) },
        };
      }
      const group = groupOf(user);
      return {
        id: user.id,
        email: user.email,
        nickname: user.nickname,
        status: 'active',
        avatar: '',
        created_at: rfc3339(user.createdAt),
        preferred_theme: '',
        anonymous: false,
        group: {
          id: encodeId('group', config.groups.indexOf(group) + 1),
          name: group.name,
          permission: encodeBoolset(group.permissions),
          direct_link_batch_size: 10,
          trash_retention: 604800,
        },
        pined: [],
        language: '',
      };
    },
  };
}

/** The state type. */
export type SandboxState = ReturnType<typeof createState>;

/** Random [0-9a-z] string. */
export function randomString(length: number): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}
