package dev.cairn.jfr;

import dev.cairn.diagnostics.Redactor;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.jfr.internal.SlowSpanEvent;
import dev.cairn.jfr.internal.SlowSpanNames;
import dev.cairn.jfr.internal.StallJoin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedEvent;
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
 * (JFR's stream flush interval); a scope without a span about two seconds after it closes, since
 * its breakdown waits one more flush for a span that would claim it. A span and the scope it made
 * current give one breakdown, the span's.
 *
 * <p>Memory is bounded: at most {@link #MAX_PENDING_EVENTS} JDK events are held, none older than a
 * minute; beyond that the oldest go first (counted as {@code cairn.jfr.stall.evicted}).
 */
public final class StallAttribution implements AutoCloseable {
  /** JDK events kept for joining. */
  public static final int MAX_PENDING_EVENTS = 8192;

  /** Breakdowns kept for {@link #breakdown} and {@link #recent}. */
  public static final int MAX_BREAKDOWNS = 256;

  /** Slow spans whose names are kept for the stream to find (see the class comment). */
  static final int MAX_PENDING_SPANS = 4096;

  private static final Redactor REDACTOR = Redactor.defaults();
  private static final Logger LOG = LoggerFactory.getLogger(StallAttribution.class);
  private static final SelfCounter EVICTED =
      SelfCounters.GLOBAL.counter(
          "cairn.jfr.stall.evicted",
          "JDK wait events dropped from the stall attribution buffer before a span claimed them",
          "events");

  private final RecordingStream stream;
  // Touched only by the stream's thread.
  private final StallJoin join =
      new StallJoin(MAX_PENDING_EVENTS, Duration.ofMinutes(1), EVICTED::increment);
  // Written by the stream's thread, read by callers (synchronized).
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
  private final SlowSpanNames names;
  private final Duration spanThreshold;
  // Touched only by the stream's thread: scope breakdowns waiting for their span (insertion order).
  private final LinkedHashMap<String, PendingScope> pendingScopes = new LinkedHashMap<>();
  private long flushes;

  StallAttribution(
      Duration spanThreshold, Duration waitThreshold, boolean log, SlowSpanNames names) {
    this.log = log;
    this.names = names;
    this.spanThreshold = spanThreshold;
    this.stream = new RecordingStream();
    stream.setMaxAge(Duration.ofSeconds(30));
    stream.setReuse(false);
    for (String name : StallJoin.WAIT_EVENTS) {
      if (name.equals("jdk.GCPhasePause")) {
        stream.enable(name).withThreshold(Duration.ZERO);
      } else {
        stream.enable(name).withThreshold(waitThreshold).withoutStackTrace();
      }
      stream.onEvent(name, this::onStall);
    }
    stream.enable("cairn.Span").withThreshold(spanThreshold).with("rate", "100/s");
    stream.enable("cairn.Scope").withThreshold(spanThreshold).with("rate", "100/s");
    stream.onEvent("cairn.Span", e -> onWindow(e, true));
    stream.onEvent("cairn.Scope", e -> onWindow(e, false));
    stream.onFlush(this::onFlush);
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
      join.addWait(e);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Reporter.warn("jfr.stall.event", "cairn: could not read a JDK wait event", t);
    }
  }

  private void onWindow(RecordedEvent e, boolean isSpan) {
    try {
      // The stream also delivers events other recordings enabled with lower thresholds (the
      // black box records every span): apply this stream's own threshold.
      if (e.getDuration().compareTo(spanThreshold) < 0) {
        return;
      }
      String spanId = e.getString("spanId");
      if (spanId == null || spanId.isEmpty()) {
        return;
      }
      Optional<SlowSpanNames.Identity> known = names.find(spanId);
      StallBreakdown b =
          join.breakdown(
              e,
              known.map(SlowSpanNames.Identity::traceId).orElse(""),
              known.map(SlowSpanNames.Identity::name).orElse(""));
      if (isSpan) {
        pendingScopes.remove(spanId);
        publish(b);
        return;
      }
      synchronized (breakdowns) {
        if (breakdowns.containsKey(spanId)) {
          return; // the span's own breakdown came first
        }
      }
      // A span usually ends just after the scope that made it current closes, so its event may
      // come in the next flush: hold the scope's breakdown back until then, and publish it only if
      // no span claimed it (the scope had no span, or the span's event was rate limited).
      pendingScopes.put(spanId, new PendingScope(b, flushes));
      if (pendingScopes.size() > MAX_BREAKDOWNS) {
        Map.Entry<String, PendingScope> eldest = pendingScopes.entrySet().iterator().next();
        pendingScopes.remove(eldest.getKey());
        publish(eldest.getValue().breakdown);
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Reporter.warn("jfr.stall.span", "cairn: could not attribute a slow span", t);
    }
  }

  private void onFlush() {
    try {
      flushes++;
      for (var it = pendingScopes.values().iterator(); it.hasNext(); ) {
        PendingScope p = it.next();
        if (p.flush > flushes - 2) {
          break; // insertion order: the rest came later still
        }
        it.remove();
        publish(p.breakdown);
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Reporter.warn("jfr.stall.span", "cairn: could not attribute a slow span", t);
    }
  }

  private static final class PendingScope {
    final StallBreakdown breakdown;
    final long flush;

    PendingScope(StallBreakdown breakdown, long flush) {
      this.breakdown = breakdown;
      this.flush = flush;
    }
  }

  private void publish(StallBreakdown raw) {
    StallBreakdown b = redacted(raw);
    synchronized (breakdowns) {
      breakdowns.put(b.spanId(), b);
    }
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

  /**
   * The breakdown with its thread name and the lock owner's thread name redacted as the
   * diagnostics surface redacts them: it reaches a log line, a {@code cairn.SlowSpan} event (so a
   * black-box dump) and the diagnostics surface.
   */
  static StallBreakdown redacted(StallBreakdown b) {
    List<StallBreakdown.Cause> causes = new ArrayList<>(b.causes().size());
    for (StallBreakdown.Cause c : b.causes()) {
      causes.add(new StallBreakdown.Cause(c.kind(), REDACTOR.redactText(c.detail()), c.time(), c.count()));
    }
    return new StallBreakdown(
        b.traceId(), b.spanId(), b.name(), REDACTOR.redactValue(b.thread()), b.duration(), b.gcPause(),
        b.lockWait(), b.park(), b.sleep(), b.socketIo(), b.fileIo(), causes);
  }

  /** Stops the stream. Idempotent. */
  @Override
  public void close() {
    stream.close();
  }
}
