/**
 * A spool holds the archive while it is being written. It is a list of
 * segment files: a segment is durable once committed, so a killed worker loses
 * at most the segment it was writing (INTERNALS.md, "Resume model").
 */

export interface SegmentWriter {
  write(chunk: Uint8Array): Promise<void>;
  /** Bytes written so far. */
  readonly size: number;
  /** True when `write()` copies its chunk: the caller may reuse the chunk's buffer once it resolved. */
  readonly copies?: boolean;
  /** Makes the segment durable and returns its size. */
  commit(): Promise<number>;
  /** Drops the segment. */
  abort(): Promise<void>;
}

export interface Spool {
  openSegment(name: string): Promise<SegmentWriter>;
  /** The committed segments, concatenated, as one disk-backed Blob. */
  blob(segments: readonly { name: string; size: number }[]): Promise<Blob>;
  /** Removes every file of this spool except `keep`. */
  prune(keep: readonly string[]): Promise<void>;
  /** Removes the spool entirely. */
  remove(): Promise<void>;
  /** Bytes still free for this origin, or undefined when the platform cannot tell. */
  available(): Promise<number | undefined>;
}
