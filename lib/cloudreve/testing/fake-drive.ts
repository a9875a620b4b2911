/**
 * An in-memory folder tree answering `GET /file`, `GET /file/info` and `POST /file/url`
 * through the fake fetch, for unit tests of listing, walking and downloading.
 */
import type { FileResponse } from '../types';
import { joinUri } from '../uri';
import { envelope, ok, type FakeHandler } from './fake-fetch';

export type Tree = { [name: string]: string | Tree };

export const CONTENT_ORIGIN = 'https://cloud.example';

/** Builds FileResponses for `tree` under cloudreve://my; file contents live in `contents`. */
export function createFakeDrive(tree: Tree, options: { pageSize?: number } = {}) {
  const files = new Map<string, FileResponse>();
  const children = new Map<string, string[]>();
  const contents = new Map<string, Uint8Array<ArrayBuffer>>();
  let clock = Date.parse('2024-05-01T00:00:00Z');

  function add(parent: string, node: Tree): void {
    children.set(parent, []);
    for (const [name, value] of Object.entries(node)) {
      const path = joinUri(parent, name);
      const folder = typeof value !== 'string';
      const bytes = folder ? new Uint8Array(0) : new TextEncoder().encode(value);
      clock += 1000;
      files.set(path, {
        type: folder ? 1 : 0,
        id: `id${files.size}`,
        name,
        path,
        size: bytes.byteLength,
        created_at: new Date(clock).toISOString(),
        updated_at: new Date(clock).toISOString(),
      });
      children.get(parent)!.push(path);
      if (folder) add(path, value);
      else contents.set(path, bytes);
    }
  }
  add('cloudreve://my', tree);

  const pageSize = options.pageSize ?? 2;
  const list: FakeHandler = ({ url }) => {
    const uri = url.searchParams.get('uri')!;
    const kids = children.get(uri);
    if (!kids) return envelope(40016, undefined, 'Path not exist');
    const start = Number(url.searchParams.get('next_page_token') ?? 0);
    const size = Math.min(Number(url.searchParams.get('page_size') ?? pageSize), pageSize);
    const next = start + size < kids.length ? String(start + size) : undefined;
    return ok({
      files: kids.slice(start, start + size).map((path) => files.get(path)),
      pagination: { page: 0, page_size: size, is_cursor: true, next_token: next },
      props: { capability: '', max_page_size: pageSize },
    });
  };
  const info: FakeHandler = ({ url }) => {
    const file = files.get(url.searchParams.get('uri')!);
    return file ? ok(file) : envelope(40016, undefined, 'Path not exist');
  };
  const urls: FakeHandler = ({ json }) => {
    const { uris } = json as { uris: string[] };
    return ok({
      urls: uris.map((uri) => ({
        url: contents.has(uri) ? `${CONTENT_ORIGIN}/api/v4/file/content/${files.get(uri)!.id}/0/x?sign=s` : '',
      })),
      expires: new Date(Date.now() + 3_600_000).toISOString(),
    });
  };
  const routes: [string, FakeHandler][] = [
    ['GET /api/v4/file', list],
    ['GET /api/v4/file/info', info],
    ['POST /api/v4/file/url', urls],
  ];
  return { files, contents, routes };
}
