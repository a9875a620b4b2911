/**
 * Group permission boolset (docs/cloudreve-api.md#group-permissions; BE `pkg/boolset/boolset.go`,
 * FE `src/util/boolset.ts`): base64 bytes, bit n set when `byte[n >> 3] & (1 << (n & 7))`.
 */

/** Bit numbers (BE `inventory/types/types.go` `GroupPermission*`). */
export const GroupPermission = {
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

export type GroupPermissions = Record<keyof typeof GroupPermission, boolean>;

/** Decodes standard or URL-safe base64, padding optional. */
function decodeBase64(value: string): Uint8Array {
  const standard = value.replace(/-/g, '+').replace(/_/g, '/');
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4);
  const binary = atob(padded);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Whether bit `bit` is set in a base64 boolset; empty or missing → false. */
export function hasPermissionBit(boolset: string | undefined, bit: number): boolean {
  if (!boolset) return false;
  const byte = decodeBase64(boolset)[bit >> 3] ?? 0;
  return (byte & (1 << (bit & 7))) !== 0;
}

/** Decodes `user.group.permission` into named flags. */
export function decodePermissions(boolset: string | undefined): GroupPermissions {
  const entries = Object.entries(GroupPermission).map(([name, bit]) => [name, hasPermissionBit(boolset, bit)]);
  return Object.fromEntries(entries) as GroupPermissions;
}
