package dev.cairn.diagnostics;

import dev.cairn.pipeline.Sink;
import dev.cairn.span.Attributes;
import dev.cairn.span.SpanData;
import dev.cairn.span.StatusCode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Feeds the diagnostics rings from finished spans: a synchronous span sink that keeps every span's
 * summary in {@link RecentTraces}, slow spans in {@link SlowSpans} and spans ending with an error
 * status in {@link RecentErrors}. Nothing here blocks or throws.
 *
 * <p>A {@code Cairn} instance built with {@code Cairn.Builder.diagnostics(...)} installs this sink
 * itself, into the rings its diagnostics pages read; use it directly only for rings of your own.
 */
public final class SpanRings {
  private SpanRings() {}

  /**
   * A sink into the process-wide rings the diagnostics pages read by default: {@link
   * RecentTraces#global()}, {@link SlowSpans#global()} and {@link RecentErrors#global()}.
   */
  public static Sink<SpanData> sink() {
    return sink(SlowSpans.global(), RecentErrors.global(), RecentTraces.global());
  }

  /** A sink into these two rings only (no recent traces). */
  public static Sink<SpanData> sink(SlowSpans slow, RecentErrors errors) {
    return span -> accept(span, slow, errors);
  }

  /** A sink into these three rings. */
  public static Sink<SpanData> sink(SlowSpans slow, RecentErrors errors, RecentTraces traces) {
    Sink<SpanData> traceSink = traces.sink();
    return span -> {
      traceSink.accept(span);
      accept(span, slow, errors);
    };
  }

  private static void accept(SpanData span, SlowSpans slow, RecentErrors errors) {
    long d = span.durationNanos();
    boolean failed = span.statusCode() == StatusCode.ERROR;
    if (slow.isSlow(d)) {
      long start = span.startEpochNanos();
      slow.offer(
          new SlowSpans.Entry(
              span.name(),
              span.kind().name().toLowerCase(java.util.Locale.ROOT),
              span.context().traceIdHex(),
              span.context().spanIdHex(),
              Instant.ofEpochSecond(start / 1_000_000_000L, start % 1_000_000_000L),
              d,
              failed,
              attributes(span.attributes())));
    }
    if (failed) {
      errors.record(
          new RecentErrors.Entry(
              Instant.now(),
              RecentErrors.cut("span " + span.name()),
              RecentErrors.cut(span.statusDescription()),
              "",
              "",
              "",
              span.context().traceIdHex()));
    }
  }

  private static Map<String, String> attributes(Attributes a) {
    if (a.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < a.size() && out.size() < SlowSpans.MAX_ATTRIBUTES; i++) {
      out.put(a.key(i), String.valueOf(a.value(i)));
    }
    return out;
  }
}
