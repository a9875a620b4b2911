/**
 * The checks the Archive dialog runs before Start, so that what would fail
 * late (after a long listing, zip or upload) is said at once, with what to do.
 * Each compares the archive's predicted size range (lib/zip/length-range.ts)
 * with what the destination and the browser have room for:
 * - the user's free capacity (the upload session refuses a file past it:
 *   40051, BE `dbfs/upload.go` `validateNewFile` → quota check);
 * - the storage policy's `max_size` (40049, same place);
 * - for the in-browser route, the browser's free storage for the spool, with
 *   the same rule the engine applies before zipping (lib/jobs/browser-archive.ts).
 * A check fails when even the smallest archive does not fit, and warns when
 * only the largest would not.
 */
import type { LengthRange } from '../zip/length-range';

/** Room the engine keeps free in the browser beyond the files (central directory, other data). */
export const QUOTA_MARGIN = 64 * 1024 * 1024;

export interface DestinationFacts {
  /** Bytes the user may still store on the server; undefined when unknown. */
  capacityFree?: number;
  /** The destination policy's single-file limit; undefined when none or unknown. */
  maxFileSize?: number;
  /** Free bytes of the extension's storage (navigator.storage.estimate: quota − usage). */
  browserFree?: number;
}

export type CheckKind = 'capacity' | 'max-size' | 'browser-storage';

export interface CheckResult {
  kind: CheckKind;
  verdict: 'fails' | 'may-fail';
  /** Bytes the archive (or its spool) needs: the smallest for `fails`, the largest for `may-fail`. */
  need: number;
  have: number;
}

export interface PreflightInput {
  /** The archive's size range for the route that will run. */
  archive: LengthRange;
  /** Bytes of the files selected (the engine's spool rule counts these). */
  sourceBytes: number;
  facts: DestinationFacts;
  /** True when the archive may be built in the browser (mode browser, or Auto without the server). */
  inBrowser: boolean;
}

function compare(kind: CheckKind, range: LengthRange, have: number | undefined): CheckResult[] {
  if (have === undefined) return [];
  if (range.min > have) return [{ kind, verdict: 'fails', need: range.min, have }];
  if (range.max > have) return [{ kind, verdict: 'may-fail', need: range.max, have }];
  return [];
}

/** The checks that fail or may fail; an empty list means nothing stands in the way. */
export function preflight({ archive, sourceBytes, facts, inBrowser }: PreflightInput): CheckResult[] {
  const spool = sourceBytes + QUOTA_MARGIN;
  return [
    ...compare('capacity', archive, facts.capacityFree),
    ...compare('max-size', archive, facts.maxFileSize),
    ...(inBrowser ? compare('browser-storage', { min: spool, max: spool }, facts.browserFree) : []),
  ];
}

/** Whether Start must stay disabled. */
export const blocksStart = (checks: readonly CheckResult[]) => checks.some((check) => check.verdict === 'fails');
