package dev.cairn.jfr;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where a slow span's time went, from JDK events on its thread inside its window (and GC pauses,
 * which stop every thread). Times are overlaps with the span's window, so they never exceed it;
 * the rest is {@link #unattributed()}: running code or waits below the event thresholds.
 *
 * @param traceId the span's trace id (32 hex digits)
 * @param spanId the span's id (16 hex digits)
 * @param name the span's name, or {@code "scope"} for a context scope without a span
 * @param thread the name of the thread the span ran on
 * @param duration the span's duration
 * @param gcPause time in GC pauses
 * @param lockWait time blocked entering contended monitors ({@code synchronized})
 * @param park time parked (locks from java.util.concurrent, futures, queues)
 * @param sleep time in {@code Thread.sleep}
 * @param socketIo time in socket reads and writes
 * @param fileIo time in file reads and writes
 * @param causes the largest individual causes, largest first (at most five)
 */
public record StallBreakdown(
    String traceId,
    String spanId,
    String name,
    String thread,
    Duration duration,
    Duration gcPause,
    Duration lockWait,
    Duration park,
    Duration sleep,
    Duration socketIo,
    Duration fileIo,
    List<Cause> causes) {

  /** Copies the list; rejects nulls. */
  public StallBreakdown {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(thread, "thread");
    causes = List.copyOf(causes);
  }

  /** Span time not explained by any recorded wait. */
  public Duration unattributed() {
    Duration d =
        duration.minus(gcPause).minus(lockWait).minus(park).minus(sleep).minus(socketIo).minus(fileIo);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /**
   * One structured line: {@code slow span name=... traceId=... duration_ms=... gc_ms=... lock_ms=...
   * park_ms=... sleep_ms=... socket_ms=... file_ms=... other_ms=... top="..."}.
   */
  public String toLogLine() {
    StringBuilder b = new StringBuilder("slow span");
    b.append(" name=\"").append(name.replace("\"", "'")).append('"');
    b.append(" traceId=").append(traceId).append(" spanId=").append(spanId);
    b.append(" thread=\"").append(thread.replace("\"", "'")).append('"');
    b.append(" duration_ms=").append(duration.toMillis());
    b.append(" gc_ms=").append(gcPause.toMillis());
    b.append(" lock_ms=").append(lockWait.toMillis());
    b.append(" park_ms=").append(park.toMillis());
    b.append(" sleep_ms=").append(sleep.toMillis());
    b.append(" socket_ms=").append(socketIo.toMillis());
    b.append(" file_ms=").append(fileIo.toMillis());
    b.append(" other_ms=").append(unattributed().toMillis());
    if (!causes.isEmpty()) {
      b.append(" top=\"");
      for (int i = 0; i < causes.size(); i++) {
        Cause c = causes.get(i);
        if (i > 0) {
          b.append("; ");
        }
        b.append(c.kind()).append(' ').append(c.detail().replace("\"", "'"));
        b.append(' ').append(c.time().toMillis()).append("ms");
      }
      b.append('"');
    }
    return b.toString();
  }

  /** Kinds of stall. */
  public enum Kind {
    /** A garbage collection pause. */
    GC_PAUSE,
    /** Blocked entering a contended monitor. */
    LOCK_WAIT,
    /** Parked (LockSupport.park). */
    PARK,
    /** Thread.sleep. */
    SLEEP,
    /** Socket read or write. */
    SOCKET_IO,
    /** File read or write. */
    FILE_IO,
    /** A virtual thread pinned to its carrier (JDK 21+). */
    PINNED
  }

  /**
   * One cause: all waits of one kind on one thing (monitor class and owner, host and port, path).
   *
   * @param kind the kind of wait
   * @param detail what was waited on, e.g. {@code java.lang.Object owned by "worker-1"} or {@code
   *     127.0.0.1:8080 read 12 bytes}
   * @param time overlap with the span's window
   * @param count how many events were merged
   */
  public record Cause(Kind kind, String detail, Duration time, int count) {
    /** Rejects nulls. */
    public Cause {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(time, "time");
    }
  }
}
