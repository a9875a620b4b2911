/**
 * Hashid-like object ids (Cloudreve encodes numeric ids with hashids, docs/cloudreve-api.md#object-ids).
 * Ours are reversible and self-checking so an undecodable id can be told apart (40001).
 */

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Keeps ids at least five characters long, like real hashids ("lUpa", "WqV7iK"). */
const OFFSET = ALPHABET.length ** 3;

/** Object kinds get different ids for the same number. */
export type IdKind = 'user' | 'file' | 'entity' | 'task' | 'dav' | 'group' | 'policy' | 'share';
const KIND_SALT: Record<IdKind, number> = {
  user: 11,
  file: 23,
  entity: 37,
  task: 41,
  dav: 53,
  group: 61,
  policy: 71,
  share: 83,
};

function checkChar(n: number, salt: number): string {
  return ALPHABET[(n * 7 + salt) % ALPHABET.length]!;
}

/** Encodes a positive integer as a short id. */
export function encodeId(kind: IdKind, n: number): string {
  const salt = KIND_SALT[kind];
  let value = n * 97 + salt + OFFSET;
  let body = '';
  do {
    body = ALPHABET[value % ALPHABET.length] + body;
    value = Math.floor(value / ALPHABET.length);
  } while (value > 0);
  return checkChar(n, salt) + body;
}

/** Decodes an id made by `encodeId`, or undefined when it is not one of that kind. */
export function decodeId(kind: IdKind, id: string): number | undefined {
  const salt = KIND_SALT[kind];
  if (id.length < 2) return undefined;
  let value = 0;
  for (const ch of id.slice(1)) {
    const digit = ALPHABET.indexOf(ch);
    if (digit < 0) return undefined;
    value = value * ALPHABET.length + digit;
  }
  value -= OFFSET;
  if (value < 0 || (value - salt) % 97 !== 0) return undefined;
  const n = (value - salt) / 97;
  return n > 0 && checkChar(n, salt) === id[0] ? n : undefined;
}

/**
 * Padded base64 (Go StdEncoding) of a Cloudreve boolset: bit n set when byte[n>>3] & (1<<(n&7))
 * (docs/cloudreve-api.md#group-permissions).
 */
export function encodeBoolset(bits: readonly number[]): string {
  const max = bits.length ? Math.max(...bits) : 0;
  const bytes = new Uint8Array((max >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 1 << (bit & 7);
  return Buffer.from(bytes).toString('base64');
}
