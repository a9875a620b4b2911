/**
 * Timestamps for zip entries: the MS-DOS date/time every reader understands
 * (APPNOTE 4.4.6) and the Info-ZIP extended timestamp extra field 0x5455
 * (APPNOTE 4.6.1 third-party mappings; Info-ZIP extrafld.txt "Extended
 * Timestamp Extra Field") that carries the exact mtime in UTC seconds.
 */

/** MS-DOS date and time fields (local time, 2-second resolution). */
export interface DosDateTime {
  date: number;
  time: number;
}

// The DOS date keeps a 7-bit year counted from 1980, so 1980-01-01 00:00:00
// to 2107-12-31 23:59:58 is all it can say. We clamp rather than throw (fflate
// throws outside 1980–2099; docs/zip-format.md#dos-dates): a clamped date beats a failed job.
const DOS_MIN: DosDateTime = { date: (0 << 9) | (1 << 5) | 1, time: 0 };
const DOS_MAX: DosDateTime = { date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29 };

/**
 * DOS date/time of `ms` (epoch milliseconds) in local time, as Info-ZIP and
 * Windows write it; out-of-range and invalid values are clamped, never thrown.
 */
export function toDosDateTime(ms: number): DosDateTime {
  const d = new Date(ms);
  const year = d.getFullYear();
  if (!Number.isFinite(ms) || Number.isNaN(year) || year < 1980) return DOS_MIN;
  if (year > 2107) return DOS_MAX;
  return {
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
  };
}

/** Length of the 0x5455 field we write (same in local and central headers). */
export const EXTENDED_TIMESTAMP_LENGTH = 9;

/**
 * Unix seconds for the 0x5455 field, or null when `ms` does not fit its
 * signed 32-bit value (1901-12-13 .. 2038-01-19): then we omit the field and
 * readers fall back to the DOS time, which is right up to 2107 (a clamped
 * 32-bit value would be wrong by decades).
 */
export function unixSeconds(ms: number): number | null {
  if (!Number.isFinite(ms)) return null;
  const seconds = Math.floor(ms / 1000);
  return seconds >= -0x80000000 && seconds <= 0x7fffffff ? seconds : null;
}

/**
 * Writes the extended timestamp field with only the modification time (flag
 * bit 0). The central-directory copy carries exactly the mtime too, per
 * extrafld.txt ("central-header version … only the modification time"), so
 * one 9-byte layout serves both headers.
 */
export function writeExtendedTimestamp(view: DataView, at: number, seconds: number): number {
  view.setUint16(at, 0x5455, true);
  view.setUint16(at + 2, 5, true);
  view.setUint8(at + 4, 1);
  view.setInt32(at + 5, seconds, true);
  return at + EXTENDED_TIMESTAMP_LENGTH;
}
