/** Group permission bits (docs/cloudreve-api.md#group-permissions). */
export const GroupPermission = { archiveDownload: 4, archiveTask: 5 } as const;

/** Bit n of a base64 boolset: byte[n >> 3] & (1 << (n & 7)) (FE src/util/boolset.ts). */
export function hasBit(boolset: string | undefined, bit: number): boolean {
  if (!boolset) return false;
  const bytes = atob(boolset);
  const byte = bytes.charCodeAt(bit >> 3);
  return !Number.isNaN(byte) && (byte & (1 << (bit & 7))) !== 0;
}
