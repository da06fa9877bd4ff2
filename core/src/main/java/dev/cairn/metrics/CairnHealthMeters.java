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
 * and base unit. Counters created after binding are published as they appear.
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
      FunctionCounter.builder(c.name(), c, SelfCounter::count)
          .description(c.description())
          .baseUnit(c.baseUnit())
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
