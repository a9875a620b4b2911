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

/** FileResponse (docs/cloudreve-api.md#file-responses). */
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

/** Metadata of a file still being uploaded (BE pkg/filemanager/fs/dbfs/file.go `MetadataUploadSessionID`). */
export const UPLOAD_SESSION_METADATA = 'sys:upload_session_id';

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

  // Files an upload session is writing (BE dbfs/upload.go PrepareUpload): path key → session id,
  // and the file's identity, so a file replaced behind the session's back is not taken for it.
  const uploading = new Map<string, { sessionId: string; ino: number; birthtimeMs: number; created: boolean }>();
  const uploadingSession = (userNum: number, segments: readonly string[], stats: Stats): string | undefined => {
    const mark = uploading.get(keyOf(userNum, segments));
    return mark && mark.ino === stats.ino && mark.birthtimeMs === stats.birthtimeMs ? mark.sessionId : undefined;
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
    /**
     * Marks the file at (user, path) as being uploaded by `sessionId`, creating the 0-byte
     * placeholder when nothing is there (BE dbfs/upload.go PrepareUpload).
     */
    async markUploading(userNum: number, segments: readonly string[], sessionId: string): Promise<void> {
      const abs = resolve(userNum, segments);
      const existing = await stat(abs).catch(() => null);
      if (!existing) await writeFile(abs, new Uint8Array(0));
      const stats = existing ?? (await stat(abs));
      uploading.set(keyOf(userNum, segments), {
        sessionId,
        ino: stats.ino,
        birthtimeMs: stats.birthtimeMs,
        created: !existing,
      });
    },
    /** The session uploading the file at (user, path), if any, and whether it created the file. */
    async uploadingAt(
      userNum: number,
      segments: readonly string[],
    ): Promise<{ sessionId: string; created: boolean } | undefined> {
      const stats = await stat(resolve(userNum, segments)).catch(() => null);
      const sessionId = stats ? uploadingSession(userNum, segments, stats) : undefined;
      return sessionId ? { sessionId, created: uploading.get(keyOf(userNum, segments))!.created } : undefined;
    },
    /** Forgets the upload mark (the upload completed or was cancelled). */
    clearUploading(userNum: number, segments: readonly string[]): void {
      uploading.delete(keyOf(userNum, segments));
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
      const sessionId = isDir ? undefined : uploadingSession(userNum, segments, stats);
      const response: FileResponse = {
        type: isDir ? 1 : 0,
        id: encodeId('file', numberFor(userNum, segments)),
        name: segments.length ? segments[segments.length - 1]! : '',
        created_at: stats.birthtime.toISOString(),
        updated_at: stats.mtime.toISOString(),
        size: isDir ? 0 : stats.size,
        // A placeholder lists with size 0 and its session id until the upload completes.
        metadata: sessionId ? { [UPLOAD_SESSION_METADATA]: sessionId } : null,
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
