package dev.cairn.metrics;

import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes Cairn's own health counters (scope misuse, propagation rejections, cardinality
 * overflows, drops, truncations, ...) as Micrometer function counters, each with its description
 * and base unit; time counted in nanoseconds is published in seconds. Counters created after
 * binding are published as they appear.
 */
public final class CairnHealthMeters implements MeterBinder, AutoCloseable {
  private final SelfCounters counters;
  private volatile AutoCloseable subscription;

  private CairnHealthMeters(SelfCounters counters) {
    this.counters = counters;
  }

  /** Publishes Cairn's process-wide health counters. */
  public static CairnHealthMeters global() {
    return new CairnHealthMeters(SelfCounters.GLOBAL);
  }

  static CairnHealthMeters of(SelfCounters counters) {
    return new CairnHealthMeters(counters);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    subscription = counters.subscribe(c -> register(registry, c));
  }

  private static void register(MeterRegistry registry, SelfCounter c) {
    try {
      // Time is counted in nanoseconds on the hot path (a long add) and published in seconds,
      // the base unit Prometheus and OpenTelemetry expect: cairn_export_latency_seconds_total.
      boolean nanos = "nanoseconds".equals(c.baseUnit());
      FunctionCounter.builder(c.name(), c, nanos ? x -> x.count() / 1e9 : x -> (double) x.count())
          .description(c.description())
          .baseUnit(nanos ? "seconds" : c.baseUnit())
          .tags(c.tags().toArray(new String[0]))
          .register(registry);
    } catch (RuntimeException e) {
      Reporter.warn(
          "metrics.health.register." + c.name(),
          "Could not publish Cairn health counter " + c.name() + ": " + e.getMessage(),
          null);
    }
  }

  /** Stops publishing counters created from now on. */
  @Override
  public void close() {
    AutoCloseable s = subscription;
    if (s != null) {
      try {
        s.close();
      } catch (Exception ignored) {
        // the subscription handle only removes a list entry
      }
    }
  }
}
