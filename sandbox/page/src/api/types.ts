/** Cloudreve v4 API shapes used by the page (docs/cloudreve-api.md). */

export interface Group {
  id: string;
  name: string;
  /** Base64 boolset (docs/cloudreve-api.md#group-permissions). */
  permission: string;
}

export interface User {
  id: string;
  email?: string;
  nickname: string;
  anonymous?: boolean;
  group?: Group;
}

export interface Token {
  access_token: string;
  refresh_token: string;
  access_expires: string;
  refresh_expires: string;
}

export interface LoginResponse {
  user: User;
  token: Token;
}

export interface FileResponse {
  /** 0 = file, 1 = folder. */
  type: 0 | 1;
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  size: number;
  metadata?: Record<string, string>;
  path: string;
}

export interface Pagination {
  page: number;
  page_size: number;
  total_items?: number;
  next_token?: string;
  is_cursor?: boolean;
}

export interface ListResponse {
  files: FileResponse[];
  parent?: FileResponse;
  pagination: Pagination;
  props?: Record<string, unknown>;
  context_hint?: string;
  mixed_type?: boolean;
}

export interface TaskResponse {
  id: string;
  status: 'queued' | 'processing' | 'suspending' | 'error' | 'canceled' | 'completed';
  type: string;
  created_at: string;
  updated_at: string;
  error?: string;
  summary?: { phase?: string; props?: { src_multiple?: string[]; src?: string; dst?: string; failed?: number } };
}

export interface TaskListResponse {
  tasks: TaskResponse[];
  pagination: Pagination;
}

export interface SiteConfigBasic {
  instance_id?: string;
  title?: string;
  user?: User;
}

export interface Capacity {
  total: number;
  used: number;
}
