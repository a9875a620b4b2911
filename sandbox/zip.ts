import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

/** One thing to put in the archive. */
export interface ArchiveEntry {
  /** Name inside the zip, relative to the selected item's parent; folders end in '/'. */
  name: string;
  abs: string;
  /** Path relative to the user's root, '/'-joined (matched against `faults.unreadable`). */
  rel: string;
  isDir: boolean;
  size: number;
  mtime: Date;
}

/** Walks one selected item recursively (BE `pkg/filemanager/manager/archive.go`: names relative to the item's parent). */
export async function collectEntries(abs: string, relSegments: string[]): Promise<ArchiveEntry[]> {
  const stats = await stat(abs);
  const base = relSegments[relSegments.length - 1]!;
  const entries: ArchiveEntry[] = [];
  async function walk(
    path: string,
    name: string,
    rel: string[],
    isDir: boolean,
    size: number,
    mtime: Date,
  ): Promise<void> {
    entries.push({ name: isDir ? `${name}/` : name, abs: path, rel: rel.join('/'), isDir, size, mtime });
    if (!isDir) return;
    const children = (await readdir(path)).sort();
    for (const child of children) {
      const childAbs = join(path, child);
      const childStats = await stat(childAbs);
      await walk(
        childAbs,
        `${name}/${child}`,
        [...rel, child],
        childStats.isDirectory(),
        childStats.size,
        childStats.mtime,
      );
    }
  }
  await walk(abs, base, relSegments, stats.isDirectory(), stats.size, stats.mtime);
  return entries;
}

/** Incremental zip builder over fflate's sync `Zip` (Deflate entries, like Go archive/zip in the task). */
export function createZipBuilder() {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else chunks.push(data);
  });
  return {
    /** Adds a folder entry or a file with its content. */
    async add(entry: ArchiveEntry): Promise<void> {
      if (entry.isDir) {
        const dir = new ZipPassThrough(entry.name);
        dir.mtime = entry.mtime;
        zip.add(dir);
        dir.push(new Uint8Array(0), true);
        return;
      }
      const data = await readFile(entry.abs);
      const file = new ZipDeflate(entry.name, { level: 6 });
      file.mtime = entry.mtime;
      zip.add(file);
      file.push(data, true);
    },
    /** Finishes the central directory and returns the whole archive. */
    finish(): Buffer {
      zip.end();
      if (failure) throw failure;
      return Buffer.concat(chunks);
    },
  };
}
