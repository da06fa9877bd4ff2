package dev.cairn.diagnostics;

import dev.cairn.diagnostics.internal.BoundedRing;
import dev.cairn.internal.Fatal;
import dev.cairn.pipeline.Sink;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanKind;
import dev.cairn.span.StatusCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spans this instance finished most recently, in a bounded ring, for the trace waterfall and
 * the service map at {@code /traces}. Each span is kept as a small summary (names, ids, times,
 * status, the peer it called); the ring overwrites the oldest and counts what it overwrote.
 *
 * <pre>{@code
 * Cairn cairn = Cairn.builder().addSpanSink(RecentTraces.global().sink()).build();
 * }</pre>
 */
public final class RecentTraces {
  /** Default capacity of {@link #global()}, in spans. */
  public static final int DEFAULT_CAPACITY = 2048;

  private static final RecentTraces GLOBAL = new RecentTraces(DEFAULT_CAPACITY);

  /**
   * One finished span.
   *
   * @param peer for client spans the called service ({@code peer.service}, {@code server.address}
   *     or {@code net.peer.name} attribute), otherwise empty
   */
  public record SpanSummary(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      String kind,
      long startEpochNanos,
      long durationNanos,
      boolean error,
      String peer) {}

  private final BoundedRing<SpanSummary> ring;

  private RecentTraces(int capacity) {
    this.ring = new BoundedRing<>(capacity);
  }

  /** A ring of {@code capacity} spans (rounded up to a power of two, at most 65536). */
  public static RecentTraces create(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    return new RecentTraces(capacity);
  }

  /** The process-wide ring. */
  public static RecentTraces global() {
    return GLOBAL;
  }

  /** A synchronous span sink into this ring. Never throws. */
  public Sink<SpanData> sink() {
    return this::add;
  }

  private void add(SpanData s) {
    try {
      String peer = "";
      if (s.kind() == SpanKind.CLIENT || s.kind() == SpanKind.PRODUCER) {
        peer = attr(s, "peer.service");
        if (peer.isEmpty()) {
          peer = attr(s, "server.address");
        }
        if (peer.isEmpty()) {
          peer = attr(s, "net.peer.name");
        }
      }
      long parent = s.context().parentSpanId();
      ring.add(
          new SpanSummary(
              s.context().traceIdHex(),
              s.context().spanIdHex(),
              parent == 0 ? "" : s.context().parentSpanIdHex(),
              s.name(),
              s.kind().name().toLowerCase(Locale.ROOT),
              s.startEpochNanos(),
              s.durationNanos(),
              s.statusCode() == StatusCode.ERROR,
              peer));
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
    }
  }

  private static String attr(SpanData s, String key) {
    Object v = s.attributes().get(key).orElse(null);
    return v == null ? "" : v.toString();
  }

  /** Records a summary directly (tests, other span sources). */
  public void add(SpanSummary span) {
    ring.add(span);
  }

  /** The spans, newest first. */
  public List<SpanSummary> snapshot() {
    return ring.snapshot();
  }

  /**
   * The most recent traces, newest first, each as its spans sorted by start time: at most {@code
   * maxTraces}.
   */
  public List<List<SpanSummary>> traces(int maxTraces) {
    Map<String, List<SpanSummary>> byTrace = new LinkedHashMap<>();
    for (SpanSummary s : ring.snapshot()) {
      List<SpanSummary> l = byTrace.get(s.traceId());
      if (l == null) {
        if (byTrace.size() >= maxTraces) {
          continue;
        }
        l = new ArrayList<>();
        byTrace.put(s.traceId(), l);
      }
      l.add(s);
    }
    List<List<SpanSummary>> out = new ArrayList<>(byTrace.size());
    for (List<SpanSummary> l : byTrace.values()) {
      l.sort((a, b) -> Long.compare(a.startEpochNanos(), b.startEpochNanos()));
      out.add(l);
    }
    return out;
  }

  public long recorded() {
    return ring.added();
  }

  public long overwritten() {
    return ring.overwritten();
  }

  public int capacity() {
    return ring.capacity();
  }
}
