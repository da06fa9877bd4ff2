package dev.cairn.journal;

import java.nio.file.Path;

/**
 * One segment file: its base position, how far it is valid, and a sparse index (every
 * {@link #INDEX_EVERY}th record: position, file offset, packed HLC) for seeking.
 */
final class SegmentFile {
  static final int INDEX_EVERY = 64;

  final Path path;
  final String name;
  final long base;
  /** End of the valid data (readers never read past it). Written by the writer under its lock. */
  volatile long end;
  /** Position after the last valid record in this segment. */
  volatile long nextPosition;

  private long[] positions = new long[16];
  private long[] offsets = new long[16];
  private long[] hlcs = new long[16];
  private int size;
  private long firstHlc = Long.MAX_VALUE;
  private long lastHlc = -1;
  private long recordsSinceEntry = INDEX_EVERY;

  SegmentFile(Path path, long base) {
    this.path = path;
    this.name = path.getFileName().toString();
    this.base = base;
    this.nextPosition = base;
  }

  /** Called for each record in file order. */
  synchronized void indexRecord(long position, long offset, long hlc) {
    if (firstHlc == Long.MAX_VALUE) {
      firstHlc = hlc;
    }
    lastHlc = Math.max(lastHlc, hlc);
    if (++recordsSinceEntry < INDEX_EVERY) {
      return;
    }
    recordsSinceEntry = 0;
    if (size == positions.length) {
      positions = java.util.Arrays.copyOf(positions, size * 2);
      offsets = java.util.Arrays.copyOf(offsets, size * 2);
      hlcs = java.util.Arrays.copyOf(hlcs, size * 2);
    }
    positions[size] = position;
    offsets[size] = offset;
    hlcs[size] = hlc;
    size++;
  }

  synchronized long firstHlc() {
    return firstHlc;
  }

  synchronized long lastHlc() {
    return lastHlc;
  }

  /** File offset of an indexed record at or before {@code position}, else the first record's. */
  synchronized long offsetForPosition(long position) {
    int lo = 0;
    int hi = size - 1;
    long best = Format.HEADER_LENGTH;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (positions[mid] <= position) {
        best = offsets[mid];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best;
  }

  /** File offset of an indexed record with HLC strictly before {@code hlc}, else the first. */
  synchronized long offsetForHlc(long hlc) {
    int lo = 0;
    int hi = size - 1;
    long best = Format.HEADER_LENGTH;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (hlcs[mid] < hlc) {
        best = offsets[mid];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best;
  }
}
