package dev.cairn.diagnostics;

import dev.cairn.context.TraceContext;
import dev.cairn.diagnostics.internal.BoundedRing;
import dev.cairn.internal.Fatal;
import java.time.Instant;
import java.util.List;

/**
 * The last errors this process saw, in a bounded ring (oldest overwritten, overwrites counted).
 * Cheap enough for a synchronous sink: recording stores one small entry, never blocks and never
 * throws. The message is cut to {@value #MAX_MESSAGE_CHARS} characters; the stack is not kept,
 * only the exception's class, message and the top frame.
 *
 * <p>{@link #global()} is what the diagnostics surface shows by default; log appenders and span
 * listeners feed it.
 */
public final class RecentErrors {
  /** Characters kept of a message. */
  public static final int MAX_MESSAGE_CHARS = 1024;

  /** Default capacity of {@link #global()}. */
  public static final int DEFAULT_CAPACITY = 128;

  private static final RecentErrors GLOBAL = new RecentErrors(DEFAULT_CAPACITY);

  /**
   * One recorded error.
   *
   * @param time when it was recorded
   * @param source who reported it (a logger name, a span name, a component)
   * @param message the message, cut
   * @param errorType the exception's class name, or empty
   * @param errorMessage the exception's message, cut, or empty
   * @param where the top stack frame, or empty
   * @param traceId the trace id current when it was recorded, or empty
   */
  public record Entry(
      Instant time,
      String source,
      String message,
      String errorType,
      String errorMessage,
      String where,
      String traceId) {}

  private final BoundedRing<Entry> ring;

  private RecentErrors(int capacity) {
    this.ring = new BoundedRing<>(capacity);
  }

  /** A ring with room for {@code capacity} entries (rounded up to a power of two). */
  public static RecentErrors create(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    return new RecentErrors(capacity);
  }

  /** The process-wide ring. */
  public static RecentErrors global() {
    return GLOBAL;
  }

  /** Records an error; {@code error} may be null. Never throws. */
  public void record(String source, String message, Throwable error) {
    try {
      String type = "";
      String emsg = "";
      String where = "";
      if (error != null) {
        type = error.getClass().getName();
        emsg = cut(String.valueOf(error.getMessage()));
        StackTraceElement[] st = error.getStackTrace();
        if (st.length > 0) {
          where = st[0].toString();
        }
      }
      TraceContext c = TraceContext.current();
      String trace = c.isValid() ? c.traceIdHex() : "";
      ring.add(new Entry(Instant.now(), cut(source), cut(message), type, emsg, where, trace));
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t); // a hostile getMessage() must not reach the caller
    }
  }

  /** Records a prepared entry. */
  public void record(Entry entry) {
    ring.add(entry);
  }

  /** The entries, newest first. */
  public List<Entry> snapshot() {
    return ring.snapshot();
  }

  /** Errors recorded since start. */
  public long recorded() {
    return ring.added();
  }

  /** Errors pushed out of the ring by newer ones. */
  public long overwritten() {
    return ring.overwritten();
  }

  public int capacity() {
    return ring.capacity();
  }

  static String cut(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}
