package dev.cairn.jfr.internal;

import dev.cairn.internal.Fatal;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.pipeline.ExporterHealth;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Tag;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import jdk.jfr.FlightRecorder;

/**
 * The periodic Cairn events: exporter health ({@code cairn.ExporterHealth}), drops since the last
 * period ({@code cairn.ExportDropped}: exporter drops and Cairn's own drop, rejection, truncation
 * and misuse counters) and mirrored Micrometer meters ({@code cairn.Metric}). JFR
 * calls the hooks on its own periodic thread, only while a recording has the event on.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class PeriodicEvents implements AutoCloseable {
  /** At most this many meters are mirrored per period, so a registry explosion stays bounded. */
  public static final int MAX_METERS_PER_PERIOD = 1000;

  static final SelfCounter METERS_SKIPPED =
      SelfCounters.GLOBAL.counter(
          "cairn.jfr.metric.skipped",
          "Meters not mirrored as cairn.Metric because the per-period cap was reached",
          "meters");

  private final SelfCounters counters;
  private final Supplier<List<ExporterHealth>> health;
  private final MeterRegistry registry;
  private final Predicate<Meter> meterFilter;
  // Touched only by JFR's periodic thread.
  private final Map<SelfCounter, Long> lastDropped = new HashMap<>();
  private final Map<String, Long> lastExportDropped = new HashMap<>();
  private final Runnable healthHook = this::emitHealth;
  private final Runnable droppedHook = this::emitDropped;
  private final Runnable metricHook = this::emitMetrics;

  /**
   * @param health exporter health snapshots (an empty list when there is no pipeline)
   * @param registry meters to mirror, or {@code null} for none
   */
  public PeriodicEvents(
      SelfCounters counters,
      Supplier<List<ExporterHealth>> health,
      MeterRegistry registry,
      Predicate<Meter> meterFilter) {
    this.counters = counters;
    this.health = health;
    this.registry = registry;
    this.meterFilter = meterFilter;
    FlightRecorder.addPeriodicEvent(ExporterHealthEvent.class, healthHook);
    FlightRecorder.addPeriodicEvent(ExportDroppedEvent.class, droppedHook);
    if (registry != null) {
      FlightRecorder.addPeriodicEvent(MetricEvent.class, metricHook);
    }
  }

  /** Whether a counter describes a loss: its name mentions a drop, rejection or truncation. */
  static boolean isDropCounter(SelfCounter c) {
    String n = c.name();
    return n.contains("drop") || n.contains("reject") || n.contains("truncat") || n.contains("misuse");
  }

  static String tags(List<String> kv) {
    if (kv.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i + 1 < kv.size(); i += 2) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(kv.get(i)).append('=').append(kv.get(i + 1));
    }
    return b.toString();
  }

  private void emitHealth() {
    try {
      for (ExporterHealth h : health.get()) {
        ExporterHealthEvent e = new ExporterHealthEvent();
        e.signal = h.signal();
        e.exporter = h.exporter();
        e.capacity = h.capacity();
        e.queued = h.queued();
        e.exported = h.exported();
        e.dropped = h.dropped();
        e.failed = h.failed();
        e.lastExportDuration = h.lastExportNanos();
        e.lastError = h.lastError().orElse("");
        e.commit();
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
    }
  }

  private void emitDropped() {
    try {
      for (SelfCounter c : counters.all()) {
        if (!isDropCounter(c)) {
          continue;
        }
        long now = c.count();
        Long before = lastDropped.put(c, now);
        long delta = now - (before == null ? 0 : before);
        if (delta > 0) {
          ExportDroppedEvent e = new ExportDroppedEvent();
          e.counter = c.name();
          e.tags = tags(c.tags());
          e.dropped = delta;
          e.total = now;
          e.commit();
        }
      }
      for (ExporterHealth h : health.get()) {
        for (Map.Entry<String, Long> d : h.droppedByReason().entrySet()) {
          String tags =
              "signal=" + h.signal() + ",exporter=" + h.exporter() + ",reason=" + d.getKey();
          long now = d.getValue();
          Long before = lastExportDropped.put(tags, now);
          long delta = now - (before == null ? 0 : before);
          if (delta > 0) {
            ExportDroppedEvent e = new ExportDroppedEvent();
            e.counter = "cairn.export.dropped";
            e.tags = tags;
            e.dropped = delta;
            e.total = now;
            e.commit();
          }
        }
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
    }
  }

  private void emitMetrics() {
    try {
      int n = 0;
      for (Meter m : registry.getMeters()) {
        if (!meterFilter.test(m)) {
          continue;
        }
        if (n++ >= MAX_METERS_PER_PERIOD) {
          METERS_SKIPPED.increment();
          continue;
        }
        String tags = meterTags(m);
        String unit = m.getId().getBaseUnit();
        for (Measurement ms : m.measure()) {
          MetricEvent e = new MetricEvent();
          e.name = m.getId().getName();
          e.tags = tags;
          e.statistic = ms.getStatistic().name();
          e.value = ms.getValue();
          e.baseUnit = unit == null ? "" : unit;
          e.commit();
        }
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
    }
  }

  private static String meterTags(Meter m) {
    StringBuilder b = new StringBuilder();
    for (Tag t : m.getId().getTagsAsIterable()) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(t.getKey()).append('=').append(t.getValue());
    }
    return b.toString();
  }

  @Override
  public void close() {
    FlightRecorder.removePeriodicEvent(healthHook);
    FlightRecorder.removePeriodicEvent(droppedHook);
    FlightRecorder.removePeriodicEvent(metricHook);
  }
}
