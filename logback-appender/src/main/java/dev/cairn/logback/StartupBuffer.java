package dev.cairn.logback;

import dev.cairn.logging.LogRecord;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * The records {@link CairnAppender} holds while no logs pipeline exists yet: bounded by a number of
 * records and by an estimate of the heap they keep reachable, whichever is reached first. Once
 * {@linkplain #release() released} it holds nothing and refuses every record.
 *
 * <p>Filled and drained only while no pipeline is known, so a plain monitor is enough there. The
 * logging hot path with a pipeline only asks {@link #isEmpty()}, which reads a volatile and takes no
 * lock.
 */
final class StartupBuffer {
  /** Why {@link #offer} refused a record. */
  enum Outcome {
    KEPT,
    /** As many records as the count bound allows are held. */
    FULL_RECORDS,
    /** The record's estimated size does not fit in what is left of the byte bound. */
    FULL_BYTES,
    /** The buffer was released: no pipeline is expected any more. */
    RELEASED
  }

  // Estimates of what a buffered record keeps reachable besides its strings, on a 64-bit JVM with
  // compressed oops, rounded up: the LogRecord and its TraceContext, the copied MDC and attribute
  // maps and the tag list (empty or not); a map entry; a String object with its array header; a
  // boxed number.
  static final long RECORD_OVERHEAD = 320;
  static final long ENTRY_OVERHEAD = 48;
  static final long STRING_OVERHEAD = 40;
  static final long BOXED = 24;

  private final int maxRecords;
  private final long maxBytes;
  private ArrayDeque<LogRecord> records = new ArrayDeque<>();
  private long bytes;
  // Written under the monitor, read without it by isEmpty() / isReleased().
  private volatile int size;
  private volatile boolean released;

  StartupBuffer(int maxRecords, long maxBytes) {
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
  }

  synchronized Outcome offer(LogRecord r) {
    if (released) {
      return Outcome.RELEASED;
    }
    if (records.size() >= maxRecords) {
      return Outcome.FULL_RECORDS;
    }
    long cost = retainedBytes(r);
    if (cost > maxBytes - bytes) {
      return Outcome.FULL_BYTES;
    }
    records.addLast(r);
    bytes += cost;
    size = records.size();
    return Outcome.KEPT;
  }

  /** The oldest record, removed, or null when none is held. */
  synchronized LogRecord poll() {
    LogRecord r = records.pollFirst();
    if (r != null) {
      // The estimate is a pure function of the immutable record, so it is the amount added.
      bytes -= retainedBytes(r);
      size = records.size();
    }
    return r;
  }

  /**
   * Drops every held record and refuses later ones, so the heap they held can be collected.
   *
   * @return how many records were dropped now, or -1 when it was already released (so only one
   *     caller reports the release)
   */
  synchronized int release() {
    if (released) {
      return -1;
    }
    int n = records.size();
    // A fresh deque, not clear(): clear() keeps the grown backing array.
    records = new ArrayDeque<>(1);
    bytes = 0;
    size = 0;
    released = true;
    return n;
  }

  boolean isReleased() {
    return released;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** The estimated heap the held records keep reachable. */
  synchronized long bytes() {
    return bytes;
  }

  /**
   * What {@code r} keeps reachable, estimated cheaply and on the high side: 2 bytes per character
   * of every string it holds (a string with any non-Latin-1 character, such as the {@code …} that
   * marks a cut message, is stored that way) plus fixed overheads per object. The message and the
   * exception text (already rendered and bounded when the record was made), the MDC copy and the
   * key-values (already plain values: strings or boxed numbers) are everything a record holds.
   */
  static long retainedBytes(LogRecord r) {
    long n = RECORD_OVERHEAD;
    n += chars(r.message());
    n += chars(r.loggerName());
    n += chars(r.threadName());
    n += chars(r.exceptionType());
    n += chars(r.exceptionMessage());
    n += chars(r.exceptionStackTrace());
    for (Map.Entry<String, String> e : r.mdc().entrySet()) {
      n += ENTRY_OVERHEAD + chars(e.getKey()) + chars(e.getValue());
    }
    for (Map.Entry<String, Object> e : r.attributes().entrySet()) {
      Object v = e.getValue();
      n += ENTRY_OVERHEAD + chars(e.getKey()) + (v instanceof String ? chars((String) v) : BOXED);
    }
    List<String> tags = r.tags();
    for (int i = 0; i < tags.size(); i++) {
      n += 8 + chars(tags.get(i));
    }
    return n;
  }

  private static long chars(String s) {
    return s == null || s.isEmpty() ? 0 : STRING_OVERHEAD + 2L * s.length();
  }
}
