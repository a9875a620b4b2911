/** Shared pieces for the zip integration tests: a file sink and the independent readers. */
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { ZipSink } from '../../../lib/zip/writer';

const run = promisify(execFile);

export interface FileSink extends ZipSink {
  close(): Promise<void>;
}

/** Appends to `path` through one file handle, as the OPFS spool does in the browser. */
export async function createFileSink(path: string): Promise<FileSink> {
  const handle = await open(path, 'w');
  return {
    async write(chunk) {
      let at = 0;
      while (at < chunk.length) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
    },
    close: () => handle.close(),
  };
}

/** `unzip -t`: tests every entry's CRC; rejects (non-zero exit) on any problem. */
export async function unzipTest(path: string): Promise<string> {
  const { stdout } = await run('unzip', ['-t', path], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Entry count from `zipinfo -h`, which takes it from the end record (ZIP64 one when present). */
export async function zipinfoCount(path: string): Promise<number> {
  const { stdout } = await run('zipinfo', ['-h', path]);
  const match = /number of entries:\s*(\d+)/.exec(stdout);
  if (!match) throw new Error(`zipinfo said: ${stdout}`);
  return Number(match[1]);
}

export async function zipinfoVerbose(path: string): Promise<string> {
  const { stdout } = await run('zipinfo', ['-v', path], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

export interface PythonEntry {
  name: string;
  size: number;
  compressed: number;
  method: number;
  date_time: number[];
  is_dir: boolean;
  offset: number;
  crc: number;
  extract_version: number;
}

const PYTHON = `
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    read = {n: hashlib.sha256(z.read(n)).hexdigest() for n in sys.argv[2:]}
    entries = [dict(name=i.filename, size=i.file_size, compressed=i.compress_size, method=i.compress_type,
                    date_time=list(i.date_time), is_dir=i.is_dir(), offset=i.header_offset, crc=i.CRC,
                    extract_version=i.extract_version)
               for i in z.infolist()]
print(json.dumps(dict(bad=bad, entries=entries, sha256=read)))
`;

/** Python's zipfile: `testzip()` (reads and CRC-checks everything), the entry list, and SHA-256 of `read` entries. */
export async function pythonInspect(
  path: string,
  read: string[] = [],
): Promise<{ bad: string | null; entries: PythonEntry[]; sha256: Record<string, string> }> {
  const { stdout } = await run('python3', ['-c', PYTHON, path, ...read], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout);
}

export async function* repeat(chunk: Uint8Array, times: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < times; i++) yield chunk;
}

export function pseudoRandom(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/** `7zz t` (7-Zip, Debian `7zip`): tests every entry; rejects (non-zero exit) on any problem. */
export async function sevenZipTest(path: string): Promise<string> {
  const { stdout } = await run('7zz', ['t', path], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
