import type { Stats } from 'node:fs';
import { cp, mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeId, decodeId, encodeBoolset } from './ids';
import { formatMyUri } from './uri';

/** Committed fixture tree copied into every user's root. */
export const FIXTURE_TREE = fileURLToPath(new URL('./fixtures/tree/', import.meta.url));

/** Empty folders git cannot hold; created at seed time. */
export const EMPTY_FOLDERS = ['Empty folder', 'Docs/Empty (nested)'];

/** Fixed mtime for seeded files so listings and zips are reproducible. */
export const SEED_MTIME = new Date('2024-05-01T12:00:00Z');

/** Extra files for tests: relative path (with '/') → content. */
export type ExtraFiles = Record<string, string | Uint8Array>;

/** FileResponse (cloudreve-v4.md §5). */
export interface FileResponse {
  type: 0 | 1;
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  size: number;
  metadata: Record<string, string> | null;
  path: string;
  capability: string;
  owned: boolean;
  primary_entity?: string;
}

/** Capability boolset the sandbox gives every file (all file actions allowed). */
const FILE_CAPABILITY = encodeBoolset([...Array(24).keys()]);

/** Where a user's files live plus stable file/entity ids for (user, path). */
export function createFileStore(root: string) {
  const idsByKey = new Map<string, number>();
  const keysById: string[] = [];

  const keyOf = (userNum: number, segments: readonly string[]) => `${userNum}\u0000${segments.join('/')}`;
  const numberFor = (userNum: number, segments: readonly string[]): number => {
    const key = keyOf(userNum, segments);
    let n = idsByKey.get(key);
    if (n === undefined) {
      n = keysById.push(key);
      idsByKey.set(key, n);
    }
    return n;
  };

  const userRoot = (userNum: number): string => join(root, 'users', String(userNum));
  const resolve = (userNum: number, segments: readonly string[]): string => join(userRoot(userNum), ...segments);

  async function seed(userNum: number, extraFiles: ExtraFiles = {}): Promise<void> {
    const dir = userRoot(userNum);
    await mkdir(dir, { recursive: true });
    await cp(FIXTURE_TREE, dir, { recursive: true });
    for (const folder of EMPTY_FOLDERS) await mkdir(join(dir, folder), { recursive: true });
    for (const [rel, content] of Object.entries(extraFiles)) {
      const abs = join(dir, ...rel.split('/'));
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, content);
    }
    await touchTree(dir);
  }

  return {
    root,
    userRoot,
    resolve,
    seed,
    /** Stats or null when missing. */
    async stat(userNum: number, segments: readonly string[]): Promise<Stats | null> {
      return stat(resolve(userNum, segments)).catch(() => null);
    },
    /** Folder children: folders first, then files, by name (Cloudreve's default view). */
    async children(userNum: number, segments: readonly string[]): Promise<{ name: string; stats: Stats }[]> {
      const dir = resolve(userNum, segments);
      const names = await readdir(dir);
      const entries = await Promise.all(names.map(async (name) => ({ name, stats: await stat(join(dir, name)) })));
      return entries.sort(
        (a, b) =>
          Number(b.stats.isDirectory()) - Number(a.stats.isDirectory()) ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
    },
    /** Stable entity id for the file at (user, path); the signed content URL names it. */
    entityId: (userNum: number, segments: readonly string[]) => encodeId('entity', numberFor(userNum, segments)),
    /** (user, path) an entity id stands for. */
    entityTarget(id: string): { userNum: number; segments: string[] } | null {
      const n = decodeId('entity', id);
      const key = n === undefined ? undefined : keysById[n - 1];
      if (key === undefined) return null;
      const [user, path] = key.split('\u0000') as [string, string];
      return { userNum: Number(user), segments: path === '' ? [] : path.split('/') };
    },
    /** FileResponse for an existing path. */
    toResponse(userNum: number, segments: readonly string[], stats: Stats): FileResponse {
      const isDir = stats.isDirectory();
      const response: FileResponse = {
        type: isDir ? 1 : 0,
        id: encodeId('file', numberFor(userNum, segments)),
        name: segments.length ? segments[segments.length - 1]! : '',
        created_at: stats.birthtime.toISOString(),
        updated_at: stats.mtime.toISOString(),
        size: isDir ? 0 : stats.size,
        metadata: null,
        path: formatMyUri(segments),
        capability: FILE_CAPABILITY,
        owned: true,
      };
      if (!isDir) response.primary_entity = encodeId('entity', numberFor(userNum, segments));
      return response;
    },
  };
}

/** The file store type. */
export type FileStore = ReturnType<typeof createFileStore>;

/** Sets SEED_MTIME on every seeded path (git checkouts give arbitrary mtimes). */
async function touchTree(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const abs = join(dir, name);
    if ((await stat(abs)).isDirectory()) await touchTree(abs);
    await utimes(abs, SEED_MTIME, SEED_MTIME);
  }
}
