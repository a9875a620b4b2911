/** The finished archive of a job as one Blob, straight from its OPFS spool folder (segment names sort in order). */
export async function spoolBlob(jobId: string, expectedSize: number): Promise<Blob> {
  const root = await navigator.storage.getDirectory();
  const dir = await (await root.getDirectoryHandle('spool')).getDirectoryHandle(jobId);
  const names: string[] = [];
  // TypeScript's DOM lib lacks the async iterators of FileSystemDirectoryHandle.
  for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
  names.sort();
  const files = await Promise.all(names.map(async (name) => (await dir.getFileHandle(name)).getFile()));
  const blob = new Blob(files, { type: 'application/zip' });
  if (blob.size !== expectedSize) throw new Error(`The spool holds ${blob.size} bytes, expected ${expectedSize}`);
  return blob;
}
