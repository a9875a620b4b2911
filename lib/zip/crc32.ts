/**
 * CRC-32 (ISO-HDLC, reflected polynomial 0xEDB88320) as APPNOTE 4.4.7 requires.
 * fflate does not export its CRC-32 and the zip container is ours, so we keep
 * our own. Slice-by-16 over one flat table: each loop step folds 16 bytes read
 * as four aligned 32-bit words, ≈2× faster in V8 than reading bytes one by one
 * (≈0.9–1.1 GiB/s in Node 20 on the project VM vs ≈0.48 GiB/s bytewise).
 */

const POLY = 0xedb88320;

/** 16 tables of 256 entries; table k maps a byte k positions before the end of a 16-byte block. */
const TABLE = makeTable();

/** Word reads assume little-endian memory, which every browser and Node platform uses; checked anyway. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function makeTable(): Int32Array {
  const table = new Int32Array(16 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLY ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  for (let t = 1; t < 16; t++) {
    for (let n = 0; n < 256; n++) {
      const prev = table[(t - 1) * 256 + n]!;
      table[t * 256 + n] = table[prev & 0xff]! ^ (prev >>> 8);
    }
  }
  return table;
}

/** CRC-32 of `data`, continuing from `previous` (the CRC of the bytes before it; 0 to start). */
export function crc32(data: Uint8Array, previous = 0): number {
  // Non-null assertions below only satisfy noUncheckedIndexedAccess: every
  // index is within the table (byte + k·256) or below `data.length`.
  const T = TABLE;
  let crc = ~previous;
  let i = 0;
  const length = data.length;
  if (LITTLE_ENDIAN && length >= 64) {
    while ((data.byteOffset + i) & 3) crc = T[(crc ^ data[i++]!) & 0xff]! ^ (crc >>> 8);
    const words = new Int32Array(data.buffer, data.byteOffset + i, (length - i) >>> 2);
    const blocks = words.length >>> 2;
    for (let w = 0, end = blocks * 4; w < end; w += 4) {
      const a = crc ^ words[w]!;
      const b = words[w + 1]!;
      const c = words[w + 2]!;
      const d = words[w + 3]!;
      crc =
        T[3840 + (a & 0xff)]! ^
        T[3584 + ((a >>> 8) & 0xff)]! ^
        T[3328 + ((a >>> 16) & 0xff)]! ^
        T[3072 + (a >>> 24)]! ^
        T[2816 + (b & 0xff)]! ^
        T[2560 + ((b >>> 8) & 0xff)]! ^
        T[2304 + ((b >>> 16) & 0xff)]! ^
        T[2048 + (b >>> 24)]! ^
        T[1792 + (c & 0xff)]! ^
        T[1536 + ((c >>> 8) & 0xff)]! ^
        T[1280 + ((c >>> 16) & 0xff)]! ^
        T[1024 + (c >>> 24)]! ^
        T[768 + (d & 0xff)]! ^
        T[512 + ((d >>> 8) & 0xff)]! ^
        T[256 + ((d >>> 16) & 0xff)]! ^
        T[d >>> 24]!;
    }
    i += blocks * 16;
  }
  for (; i < length; i++) crc = T[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
