/**
 * Cloudreve v4 DTOs and enums. Names mirror cloudreve/frontend (`src/api/request.ts`,
 * `src/api/explorer.ts`, `src/api/workflow.ts`, `src/api/user.ts`) so code can be
 * grepped against the server; shapes follow docs/cloudreve-api.md.
 */

/** Envelope codes (BE `pkg/serializer/error.go`; FE `Code`). */
export const Code = {
  Success: 0,
  /** 203 NotFullySuccess: password login needs 2FA (docs/cloudreve-api.md#two-factor-login). */
  Continue: 203,
  NotFound: 404,
  CheckLogin: 401,
  ObjectExist: 40004,
  GroupNotAllowed: 40007,
  UploadSessionExpired: 40011,
  ParentNotExist: 40016,
  CredentialInvalid: 40020,
  IncorrectOtp: 40022,
  FileNotFound: 40044,
  LockConflict: 40073,
  IncorrectPassword: 40080,
} as const;

/** `{code, data, msg}` as every JSON route answers it (BE `pkg/serializer/response.go`). */
export interface Response<T> {
  code: number;
  data?: T;
  msg: string;
  error?: string;
  correlation_id?: string;
  aggregated_error?: Record<string, { code: number; msg: string; correlation_id?: string }>;
}

/** `TaskStatus` (BE `ent/task/task.go`). `suspending` is a normal, non-final state. */
export const TaskStatus = {
  queued: 'queued',
  processing: 'processing',
  suspending: 'suspending',
  error: 'error',
  canceled: 'canceled',
  completed: 'completed',
} as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

/** `FileType` (FE `src/api/explorer.ts`). */
export const FileType = { file: 0, folder: 1 } as const;
export type FileType = (typeof FileType)[keyof typeof FileType];

export interface Token {
  access_token: string;
  refresh_token: string;
  /** RFC 3339 with zone offset. */
  access_expires: string;
  refresh_expires: string;
}

export interface Group {
  id: string;
  name: string;
  /** Base64 boolset (see permissions.ts). */
  permission?: string;
}

export interface User {
  id: string;
  email?: string;
  nickname: string;
  status?: string;
  created_at: string;
  anonymous?: boolean;
  group?: Group;
  language?: string;
}

/** `BuiltinLoginResponse` (BE `service/user/response.go`). */
export interface LoginResponse {
  user: User;
  token: Token;
}

export interface StoragePolicy {
  id: string;
  name: string;
  type: string;
  max_size: number;
  relay?: boolean;
  chunk_concurrency?: number;
}

export interface FileResponse {
  type: FileType;
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  size: number;
  metadata?: Record<string, string>;
  path: string;
  shared?: boolean;
  owned?: boolean;
}

export interface PaginationResults {
  page: number;
  page_size: number;
  total_items?: number;
  next_token?: string;
  is_cursor?: boolean;
}

export interface NavigatorProps {
  capability: string;
  max_page_size: number;
}

export interface ListResponse {
  files: FileResponse[];
  parent?: FileResponse;
  pagination: PaginationResults;
  props: NavigatorProps;
  storage_policy?: StoragePolicy;
}

export interface EntityUrl {
  url: string;
}

/** `POST /file/url` answer (docs/cloudreve-api.md#download-urls). */
export interface FileUrlResponse {
  urls: EntityUrl[];
  expires: string | null;
}

/** `UploadSessionResponse` (BE `service/explorer/response.go`). */
export interface UploadSessionResponse {
  session_id: string;
  /** 0 = the whole file in one chunk. */
  chunk_size: number;
  /** Unix seconds. */
  expires: number;
  upload_urls?: string[];
  credential?: string;
  completeURL?: string;
  storage_policy: StoragePolicy;
  uri: string;
  callback_secret?: string;
  mime_type?: string;
  /** Upyun form policy (BE `fs.UploadCredential.UploadPolicy`). */
  upload_policy?: string;
}

/** Body of `POST /workflow/archive` (FE `ArchiveWorkflowService`). */
export interface ArchiveWorkflowService {
  src: string[];
  dst: string;
  /** Pro only; community servers ignore it (docs/cloudreve-api.md#archive-tasks). */
  preferred_node_id?: string;
}

export interface TaskSummary {
  phase?: string;
  props: Record<string, unknown>;
}

export interface NodeSummary {
  id: string;
  name: string;
  type: string;
  capabilities: string;
}

/** `TaskResponse` (BE `service/explorer/response.go`). */
export interface TaskResponse {
  created_at: string;
  updated_at: string;
  id: string;
  status: TaskStatus;
  type: string;
  node?: NodeSummary;
  summary?: TaskSummary;
  error?: string;
  error_history?: string[];
  retry_count?: number;
}

export interface TaskListResponse {
  tasks: TaskResponse[];
  pagination: PaginationResults;
}

/** `GET /workflow/progress/{id}`: key → progress (BE `pkg/queue/task.go`). */
export type TaskProgresses = Record<string, { total: number; current: number; identifier?: string }>;

/** `GET /site/config/login` (subset). */
export interface LoginConfig {
  login_captcha?: boolean;
}

/** `GET /site/config/basic` (subset). */
export interface SiteConfig {
  user?: User;
  captcha_type?: 'normal' | 'recaptcha' | 'tcaptcha' | 'turnstile' | 'cap' | string;
}

export interface CaptchaResponse {
  image: string;
  ticket: string;
}
