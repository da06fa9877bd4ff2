package dev.cairn.metrics;

import dev.cairn.Cairn;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.pipeline.Pipeline;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of each exporter's queue, read from its pipeline when the registry is scraped: {@code
 * cairn.export.queued} (items waiting, including the batch being exported), {@code
 * cairn.export.queue.capacity} and {@code cairn.export.last.duration} (the latest export call),
 * tagged {@code signal} and {@code exporter}. Exported, dropped and failed items are counters Cairn
 * publishes anyway ({@link CairnHealthMeters}); a queue's depth is a level, not a count, so it is a
 * gauge here: alert when it stays near its capacity, the step before drops.
 *
 * <p>The gauges hold the pipelines weakly: once the instance is closed and collected they report
 * no value.
 */
public final class ExporterMeters implements MeterBinder {
  private final List<Pipeline<?>> pipelines;

  private ExporterMeters(List<Pipeline<?>> pipelines) {
    this.pipelines = List.copyOf(pipelines);
  }

  /** The exporters of every pipeline of {@code cairn} (spans, and the pipelines added to it). */
  public static ExporterMeters of(Cairn cairn) {
    return new ExporterMeters(Objects.requireNonNull(cairn, "cairn").pipelines());
  }

  /** The exporters of these pipelines. */
  public static ExporterMeters of(List<Pipeline<?>> pipelines) {
    return new ExporterMeters(Objects.requireNonNull(pipelines, "pipelines"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Pipeline<?> p : pipelines) {
      List<ExporterHealth> exporters = p.health();
      for (int i = 0; i < exporters.size(); i++) {
        ExporterHealth h = exporters.get(i);
        int index = i;
        String[] tags = {"signal", h.signal(), "exporter", h.exporter()};
        Gauge.builder("cairn.export.queued", p, of(index, x -> x.queued()))
            .description("Items waiting in an exporter's queue, including the batch being exported")
            .baseUnit("items")
            .tags(tags)
            .register(registry);
        Gauge.builder("cairn.export.queue.capacity", p, of(index, x -> x.capacity()))
            .description("Capacity of an exporter's queue; beyond it items are dropped and counted")
            .baseUnit("items")
            .tags(tags)
            .register(registry);
        TimeGauge.builder(
                "cairn.export.last.duration",
                p,
                TimeUnit.NANOSECONDS,
                of(index, x -> x.lastExportNanos()))
            .description("Duration of an exporter's latest export call")
            .tags(tags)
            .register(registry);
      }
    }
  }

  /** Reads one exporter's field from a fresh snapshot; NaN once the exporter is gone. */
  private static ToDoubleFunction<Pipeline<?>> of(
      int index, ToDoubleFunction<ExporterHealth> field) {
    return p -> {
      List<ExporterHealth> now = p.health();
      return index < now.size() ? field.applyAsDouble(now.get(index)) : Double.NaN;
    };
  }
}
