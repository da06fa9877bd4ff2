package dev.cairn.jfr.internal;

import dev.cairn.jfr.StallBreakdown;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

/**
 * Joins JDK wait events to Cairn span (or scope) windows by thread and time. Fed in end-time
 * order, as a JFR stream delivers them or as the offline analyzer sorts them. Uses only the JDK,
 * so the analyzer runs from the jar alone.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class StallJoin {
  /** JDK wait events the join understands. */
  public static final List<String> WAIT_EVENTS =
      List.of(
          "jdk.JavaMonitorEnter",
          "jdk.ThreadPark",
          "jdk.ThreadSleep",
          "jdk.SocketRead",
          "jdk.SocketWrite",
          "jdk.FileRead",
          "jdk.FileWrite",
          "jdk.VirtualThreadPinned",
          "jdk.GCPhasePause");

  private static final int MAX_CAUSES = 5;

  private final int maxPending;
  private final long keepNanos;
  private final Runnable onEvict;
  private final ArrayDeque<Stall> stalls = new ArrayDeque<>();

  /**
   * @param maxPending wait events kept at most; beyond, the oldest go and {@code onEvict} runs
   * @param keep wait events older than this (relative to the newest) are forgotten
   */
  public StallJoin(int maxPending, Duration keep, Runnable onEvict) {
    this.maxPending = maxPending;
    this.keepNanos = keep.toNanos();
    this.onEvict = onEvict;
  }

  /** Whether {@code name} is one of {@link #WAIT_EVENTS}. */
  public static boolean isWait(String name) {
    return WAIT_EVENTS.contains(name);
  }

  /** Remembers one JDK wait event. */
  public void addWait(RecordedEvent e) {
    StallBreakdown.Kind kind = kindOf(e.getEventType().getName());
    RecordedThread t = e.getThread();
    long threadId = kind == StallBreakdown.Kind.GC_PAUSE || t == null ? -1 : t.getJavaThreadId();
    long end = nanos(e.getEndTime());
    stalls.addLast(new Stall(kind, threadId, nanos(e.getStartTime()), end, detail(kind, e)));
    while (stalls.size() > maxPending) {
      stalls.removeFirst();
      onEvict.run();
    }
    Stall first = stalls.peekFirst();
    while (first != null && end - first.end > keepNanos) {
      stalls.removeFirst();
      first = stalls.peekFirst();
    }
  }

  /**
   * The breakdown of a {@code cairn.Span} or {@code cairn.Scope} event from the waits seen so far.
   */
  public StallBreakdown breakdown(RecordedEvent window) {
    return breakdown(window, "", "");
  }

  /**
   * The breakdown of a window, with the trace id and name taken from {@code knownTraceId} and
   * {@code knownName} when they are not empty (a stream may lose the event's own; see {@link
   * SlowSpanNames}).
   */
  public StallBreakdown breakdown(RecordedEvent window, String knownTraceId, String knownName) {
    boolean isSpan = window.getEventType().getName().equals("cairn.Span");
    RecordedThread t = window.getThread();
    long threadId = t == null ? -2 : t.getJavaThreadId();
    long start = nanos(window.getStartTime());
    long end = nanos(window.getEndTime());
    long[] byKind = new long[StallBreakdown.Kind.values().length];
    Map<String, long[]> causes = new LinkedHashMap<>();
    for (Stall s : stalls) {
      if (s.threadId != threadId && s.threadId != -1) {
        continue;
      }
      long overlap = Math.min(end, s.end) - Math.max(start, s.start);
      if (overlap <= 0) {
        continue;
      }
      byKind[s.kind.ordinal()] += overlap;
      long[] c = causes.computeIfAbsent(s.kind.name() + '\u0000' + s.detail, k -> new long[2]);
      c[0] += overlap;
      c[1]++;
    }
    List<StallBreakdown.Cause> top = new ArrayList<>();
    for (Map.Entry<String, long[]> c : causes.entrySet()) {
      int sep = c.getKey().indexOf('\u0000');
      top.add(
          new StallBreakdown.Cause(
              StallBreakdown.Kind.valueOf(c.getKey().substring(0, sep)),
              c.getKey().substring(sep + 1),
              Duration.ofNanos(c.getValue()[0]),
              (int) c.getValue()[1]));
    }
    top.sort((a, b) -> b.time().compareTo(a.time()));
    String traceId = knownTraceId.isEmpty() ? window.getString("traceId") : knownTraceId;
    String spanId = window.getString("spanId");
    String name = !knownName.isEmpty() ? knownName : isSpan ? window.getString("name") : "scope";
    return new StallBreakdown(
        traceId == null ? "" : traceId,
        spanId == null ? "" : spanId,
        name == null ? "" : name,
        t == null ? "" : String.valueOf(t.getJavaName()),
        window.getDuration(),
        Duration.ofNanos(byKind[StallBreakdown.Kind.GC_PAUSE.ordinal()]),
        Duration.ofNanos(byKind[StallBreakdown.Kind.LOCK_WAIT.ordinal()]),
        Duration.ofNanos(
            byKind[StallBreakdown.Kind.PARK.ordinal()]
                + byKind[StallBreakdown.Kind.PINNED.ordinal()]),
        Duration.ofNanos(byKind[StallBreakdown.Kind.SLEEP.ordinal()]),
        Duration.ofNanos(byKind[StallBreakdown.Kind.SOCKET_IO.ordinal()]),
        Duration.ofNanos(byKind[StallBreakdown.Kind.FILE_IO.ordinal()]),
        top.subList(0, Math.min(MAX_CAUSES, top.size())));
  }

  static StallBreakdown.Kind kindOf(String name) {
    switch (name) {
      case "jdk.JavaMonitorEnter":
        return StallBreakdown.Kind.LOCK_WAIT;
      case "jdk.ThreadPark":
        return StallBreakdown.Kind.PARK;
      case "jdk.ThreadSleep":
        return StallBreakdown.Kind.SLEEP;
      case "jdk.SocketRead":
      case "jdk.SocketWrite":
        return StallBreakdown.Kind.SOCKET_IO;
      case "jdk.FileRead":
      case "jdk.FileWrite":
        return StallBreakdown.Kind.FILE_IO;
      case "jdk.VirtualThreadPinned":
        return StallBreakdown.Kind.PINNED;
      default:
        return StallBreakdown.Kind.GC_PAUSE;
    }
  }

  static String detail(StallBreakdown.Kind kind, RecordedEvent e) {
    switch (kind) {
      case LOCK_WAIT:
        {
          RecordedClass c = e.getClass("monitorClass");
          RecordedThread owner = e.getThread("previousOwner");
          return (c == null ? "?" : c.getName())
              + (owner == null ? "" : " owned by \"" + owner.getJavaName() + "\"");
        }
      case PARK:
        {
          RecordedClass c = e.getClass("parkedClass");
          return c == null ? "park" : "park on " + c.getName();
        }
      case SOCKET_IO:
        {
          boolean read = e.getEventType().getName().endsWith("Read");
          String host = e.getString("host");
          String where =
              (host == null || host.isEmpty() ? e.getString("address") : host)
                  + ":"
                  + e.getInt("port");
          return where
              + (read ? " read " + e.getLong("bytesRead") : " write " + e.getLong("bytesWritten"))
              + " bytes";
        }
      case FILE_IO:
        {
          boolean read = e.getEventType().getName().endsWith("Read");
          return (read ? "read " : "write ") + e.getString("path");
        }
      case GC_PAUSE:
        return e.hasField("name") ? String.valueOf(e.getString("name")) : "pause";
      case SLEEP:
        return "Thread.sleep";
      default:
        return "pinned";
    }
  }

  /** Epoch nanoseconds of an instant. */
  public static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static final class Stall {
    final StallBreakdown.Kind kind;
    final long threadId;
    final long start;
    final long end;
    final String detail;

    Stall(StallBreakdown.Kind kind, long threadId, long start, long end, String detail) {
      this.kind = kind;
      this.threadId = threadId;
      this.start = start;
      this.end = end;
      this.detail = detail;
    }
  }
}
