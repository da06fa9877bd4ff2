package dev.cairn.jfr;

import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.jfr.internal.SlowSpanEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "why was this request slow": a JFR event stream over the JDK's wait events (GC pauses,
 * contended monitors, parks, sleeps, socket and file I/O, pinned virtual threads), joined by thread
 * and time to {@code cairn.Span} events (and {@code cairn.Scope} events, for code that attaches
 * contexts without spans) at least {@linkplain CairnJfr.Builder#stallAttribution as long as the
 * threshold}.
 *
 * <p>Each breakdown is logged as one line ({@code dev.cairn.jfr.StallAttribution}, INFO), written
 * as a {@code cairn.SlowSpan} event, passed to listeners and kept (the newest {@link
 * #MAX_BREAKDOWNS}) for {@link #breakdown}. Breakdowns arrive about a second after the span ends
 * (JFR's stream flush interval).
 *
 * <p>Memory is bounded: at most {@link #MAX_PENDING_EVENTS} JDK events are held, none older than a
 * minute; beyond that the oldest go first (counted as {@code cairn.jfr.stall.evicted}).
 */
public final class StallAttribution implements AutoCloseable {
  /** JDK events kept for joining. */
  public static final int MAX_PENDING_EVENTS = 8192;

  /** Breakdowns kept for {@link #breakdown} and {@link #recent}. */
  public static final int MAX_BREAKDOWNS = 256;

  private static final long KEEP_NANOS = Duration.ofMinutes(1).toNanos();
  private static final int MAX_CAUSES = 5;
  private static final Logger LOG = LoggerFactory.getLogger(StallAttribution.class);
  private static final SelfCounter EVICTED =
      SelfCounters.GLOBAL.counter(
          "cairn.jfr.stall.evicted",
          "JDK wait events dropped from the stall attribution buffer before a span claimed them",
          "events");

  private final RecordingStream stream;
  // Both touched only by the stream's thread, except reads of breakdowns (synchronized).
  private final ArrayDeque<Stall> stalls = new ArrayDeque<>();
  private final LinkedHashMap<String, StallBreakdown> breakdowns =
      new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StallBreakdown> eldest) {
          return size() > MAX_BREAKDOWNS;
        }
      };
  private final CopyOnWriteArrayList<Consumer<StallBreakdown>> listeners =
      new CopyOnWriteArrayList<>();
  private final boolean log;

  StallAttribution(Duration spanThreshold, Duration waitThreshold, boolean log) {
    this.log = log;
    this.stream = new RecordingStream();
    stream.setMaxAge(Duration.ofSeconds(30));
    stream.setReuse(true);
    for (String name :
        new String[] {
          "jdk.JavaMonitorEnter",
          "jdk.ThreadPark",
          "jdk.ThreadSleep",
          "jdk.SocketRead",
          "jdk.SocketWrite",
          "jdk.FileRead",
          "jdk.FileWrite",
          "jdk.VirtualThreadPinned"
        }) {
      stream.enable(name).withThreshold(waitThreshold).withoutStackTrace();
      stream.onEvent(name, this::onStall);
    }
    stream.enable("jdk.GCPhasePause").withThreshold(Duration.ZERO);
    stream.onEvent("jdk.GCPhasePause", this::onStall);
    stream.enable("cairn.Span").withThreshold(spanThreshold).with("rate", "100/s");
    stream.enable("cairn.Scope").withThreshold(spanThreshold).with("rate", "100/s");
    stream.onEvent("cairn.Span", e -> onWindow(e, true));
    stream.onEvent("cairn.Scope", e -> onWindow(e, false));
    stream.onError(
        t -> Reporter.warn("jfr.stall.stream", "cairn: stall attribution stream failed", t));
    stream.startAsync();
  }

  /** The breakdown of the span with this id (16 hex digits), if it was slow and is still kept. */
  public Optional<StallBreakdown> breakdown(String spanId) {
    synchronized (breakdowns) {
      return Optional.ofNullable(breakdowns.get(spanId));
    }
  }

  /** The kept breakdowns, oldest first. */
  public List<StallBreakdown> recent() {
    synchronized (breakdowns) {
      return List.copyOf(breakdowns.values());
    }
  }

  /**
   * Calls {@code listener} with every new breakdown, on the stream's thread.
   *
   * @return a handle that removes the listener
   */
  public AutoCloseable addListener(Consumer<StallBreakdown> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void onStall(RecordedEvent e) {
    try {
      StallBreakdown.Kind kind = kindOf(e.getEventType().getName());
      RecordedThread t = e.getThread();
      long threadId = kind == StallBreakdown.Kind.GC_PAUSE || t == null ? -1 : t.getJavaThreadId();
      long start = nanos(e.getStartTime());
      long end = nanos(e.getEndTime());
      stalls.addLast(new Stall(kind, threadId, start, end, detail(kind, e)));
      while (stalls.size() > MAX_PENDING_EVENTS) {
        stalls.removeFirst();
        EVICTED.increment();
      }
      Stall first = stalls.peekFirst();
      while (first != null && end - first.end > KEEP_NANOS) {
        stalls.removeFirst();
        first = stalls.peekFirst();
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Reporter.warn("jfr.stall.event", "cairn: could not read a JDK wait event", t);
    }
  }

  private void onWindow(RecordedEvent e, boolean isSpan) {
    try {
      String spanId = e.getString("spanId");
      if (spanId == null || spanId.isEmpty()) {
        return;
      }
      if (!isSpan) {
        synchronized (breakdowns) {
          if (breakdowns.containsKey(spanId)) {
            return;
          }
        }
      }
      RecordedThread t = e.getThread();
      long threadId = t == null ? -2 : t.getJavaThreadId();
      long start = nanos(e.getStartTime());
      long end = nanos(e.getEndTime());
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
      StallBreakdown b =
          new StallBreakdown(
              e.getString("traceId"),
              spanId,
              isSpan ? e.getString("name") : "scope",
              t == null ? "" : String.valueOf(t.getJavaName()),
              e.getDuration(),
              Duration.ofNanos(byKind[StallBreakdown.Kind.GC_PAUSE.ordinal()]),
              Duration.ofNanos(byKind[StallBreakdown.Kind.LOCK_WAIT.ordinal()]),
              Duration.ofNanos(
                  byKind[StallBreakdown.Kind.PARK.ordinal()]
                      + byKind[StallBreakdown.Kind.PINNED.ordinal()]),
              Duration.ofNanos(byKind[StallBreakdown.Kind.SLEEP.ordinal()]),
              Duration.ofNanos(byKind[StallBreakdown.Kind.SOCKET_IO.ordinal()]),
              Duration.ofNanos(byKind[StallBreakdown.Kind.FILE_IO.ordinal()]),
              top.subList(0, Math.min(MAX_CAUSES, top.size())));
      synchronized (breakdowns) {
        breakdowns.put(spanId, b);
      }
      publish(b);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Reporter.warn("jfr.stall.span", "cairn: could not attribute a slow span", t);
    }
  }

  private void publish(StallBreakdown b) {
    SlowSpanEvent ev = new SlowSpanEvent();
    if (ev.shouldCommit()) {
      ev.traceId = b.traceId();
      ev.spanId = b.spanId();
      ev.name = b.name();
      ev.spanDuration = b.duration().toNanos();
      ev.gcPause = b.gcPause().toNanos();
      ev.lockWait = b.lockWait().toNanos();
      ev.park = b.park().toNanos();
      ev.sleep = b.sleep().toNanos();
      ev.socketIo = b.socketIo().toNanos();
      ev.fileIo = b.fileIo().toNanos();
      ev.summary = b.toLogLine();
      ev.commit();
    }
    if (log) {
      LOG.info(b.toLogLine());
    }
    for (Consumer<StallBreakdown> l : listeners) {
      try {
        l.accept(b);
      } catch (RuntimeException ex) {
        Reporter.warn("jfr.stall.listener", "cairn: a stall breakdown listener failed", ex);
      }
    }
  }

  private static StallBreakdown.Kind kindOf(String name) {
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

  private static String detail(StallBreakdown.Kind kind, RecordedEvent e) {
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
          String where = (host == null || host.isEmpty() ? e.getString("address") : host) + ":" + e.getInt("port");
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

  private static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /** Stops the stream. Idempotent. */
  @Override
  public void close() {
    stream.close();
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
