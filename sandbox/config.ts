import { readFile } from 'node:fs/promises';

/** Permission bit numbers of a Cloudreve group (docs/cloudreve-api.md#group-permissions). */
export const PERMISSION = {
  isAdmin: 0,
  isAnonymous: 1,
  share: 2,
  webdav: 3,
  archiveDownload: 4,
  archiveTask: 5,
  webdavProxy: 6,
  shareDownload: 7,
  remoteDownload: 9,
  redirectedSource: 11,
  advanceDelete: 12,
  uniqueDirectLink: 17,
} as const;

/** A user group: permission bit numbers and the archive size limit. */
export interface GroupConfig {
  name: string;
  permissions: number[];
  /** Bytes; 0 = unlimited. Enforced inside the archive task (docs/cloudreve-api.md#checked-inside-the-task). */
  compressSize: number;
}

/** A user account; `davPassword` seeds one WebDAV account when the group has the webdav bit. */
export interface UserConfig {
  email: string;
  password: string;
  nickname: string;
  group: string;
  /** Base32 TOTP secret: login then answers 203 and needs /session/token/2fa. */
  totpSecret?: string;
  davPassword?: string;
}

/** One injected failure: the next `times` requests matching `path` (regex) fail. */
export interface FailRule {
  path: string;
  method?: string;
  times: number;
  /** Envelope code sent with HTTP 200 (JSON routes) ... */
  code?: number;
  msg?: string;
  /** ... or a bare HTTP status with a plain-text body. */
  httpStatus?: number;
}

/** Fault injection knobs, all changeable at runtime through `sandbox.config.faults`. */
export interface FaultConfig {
  latencyMs: number;
  failRequests: FailRule[];
  /** Archive tasks end in `error` with this message. */
  taskFails: string | null;
  /** Archive tasks fail with "failed to allocate node: no node found with capability 1". */
  noArchiveNode: boolean;
  /** Delay at every archive task state change (queued → processing → suspending → …). */
  taskStepMs: number;
  /** Extra delay after each file added to an archive, so progress is observable. */
  taskFileDelayMs: number;
  /** Paths relative to a user's root that the archive task cannot read (skipped, counted in `failed`). */
  unreadable: string[];
}

/** The policy types the sandbox can stand in for (cloudreve/cloudreve `inventory/types/types.go`). */
export type PolicyType = 'local' | 's3' | 'onedrive' | 'qiniu' | 'upyun';

/** Where an `s3` policy's bucket is: any S3-compatible server that checks SigV4 query signatures. */
export interface S3PolicyConfig {
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secretKey: string;
}

/**
 * The storage policy every upload uses (docs/cloudreve-api.md#upload-sessions). `local` by default;
 * `s3` needs `s3`; `onedrive`, `qiniu` and `upyun` are served by the sandbox's own provider
 * stand-ins on a second loopback origin (sandbox/storage/providers.ts).
 */
export interface PolicyConfig {
  id: string;
  name: string;
  type: PolicyType;
  s3?: S3PolicyConfig;
  chunkSize: number;
  chunkConcurrency: number;
  /** 0 = unlimited. */
  maxSize: number;
  maxEditSize: number;
}

/** Everything the sandbox can be told; see sandbox/README.md. */
export interface SandboxConfig {
  siteVersion: string;
  siteTitle: string;
  /** Absolute base used in signed URLs; defaults to the server's own URL. */
  siteUrl: string | null;
  loginCaptcha: boolean;
  accessTtl: number;
  refreshTtl: number;
  entityUrlTtl: number;
  uploadSessionTtl: number;
  maxBatchedFile: number;
  maxPageSize: number;
  groups: GroupConfig[];
  /**
   * Whether visitors who are not signed in may open and download share links: the
   * `share_download` bit of the server's anonymous group, an admin setting
   * (BE `pkg/filemanager/fs/dbfs/share_navigator.go` `Root`: 40088 without it).
   */
  anonymousShareDownload: boolean;
  users: UserConfig[];
  policy: PolicyConfig;
  faults: FaultConfig;
}

const MIB = 1024 * 1024;

/** The default configuration: three users, Admin and User groups as seeded by Cloudreve. */
export function defaultConfig(): SandboxConfig {
  return {
    siteVersion: '4.18.0',
    siteTitle: 'Cloudreve Sandbox',
    siteUrl: null,
    loginCaptcha: false,
    accessTtl: 3600,
    refreshTtl: 1209600,
    entityUrlTtl: 3600,
    uploadSessionTtl: 86400,
    maxBatchedFile: 3000,
    maxPageSize: 2000,
    anonymousShareDownload: true,
    groups: [
      {
        name: 'Admin',
        permissions: Object.values(PERMISSION).filter((bit) => bit !== PERMISSION.isAnonymous),
        compressSize: 0,
      },
      {
        name: 'User',
        permissions: [PERMISSION.share, PERMISSION.shareDownload, PERMISSION.redirectedSource],
        compressSize: 0,
      },
    ],
    users: [
      {
        email: 'admin@example.com',
        password: 'admin123',
        nickname: 'admin',
        group: 'Admin',
        davPassword: 'sandboxdavpassword0123456789abcd',
      },
      { email: 'user@example.com', password: 'user123', nickname: 'user', group: 'User' },
      {
        email: 'totp@example.com',
        password: 'totp123',
        nickname: 'totp',
        group: 'Admin',
        totpSecret: 'JBSWY3DPEHPK3PXP',
        davPassword: 'sandboxtotpdav0123456789abcdefgh',
      },
    ],
    policy: {
      id: 'Gkdr',
      name: 'Default storage policy',
      type: 'local',
      chunkSize: 25 * MIB,
      chunkConcurrency: 1,
      maxSize: 0,
      maxEditSize: 50 * MIB,
    },
    faults: {
      latencyMs: 0,
      failRequests: [],
      taskFails: null,
      noArchiveNode: false,
      taskStepMs: 50,
      taskFileDelayMs: 0,
      unreadable: [],
    },
  };
}

/** A partial config: top-level keys replace defaults, `policy` and `faults` merge key by key. */
export type SandboxConfigInput = Partial<Omit<SandboxConfig, 'policy' | 'faults'>> & {
  policy?: Partial<PolicyConfig>;
  faults?: Partial<FaultConfig>;
};

/** Defaults overlaid with `input`. */
export function resolveConfig(input: SandboxConfigInput = {}): SandboxConfig {
  const base = defaultConfig();
  return {
    ...base,
    ...input,
    policy: { ...base.policy, ...input.policy },
    faults: { ...base.faults, ...input.faults },
  };
}

/** Reads a JSON config file (same shape as `SandboxConfigInput`). */
export async function loadConfigFile(file: string): Promise<SandboxConfigInput> {
  return JSON.parse(await readFile(file, 'utf8')) as SandboxConfigInput;
}
