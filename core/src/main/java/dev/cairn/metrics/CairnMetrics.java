package dev.cairn.metrics;

import dev.cairn.internal.Reporter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ready Micrometer registry for applications without Spring: common tags, the cardinality guard
 * (installed once, on the outermost registry), Cairn's own health meters, optional JVM/system
 * binders, and a Prometheus registry when that library is on the classpath.
 *
 * <pre>{@code
 * CairnMetrics metrics = CairnMetrics.create(MetricsSettings.builder().jvmMetrics(true).build());
 * metrics.registry().counter("orders.placed", "region", "eu").increment();
 * metrics.prometheusText().ifPresent(System.out::println);
 * }</pre>
 */
public final class CairnMetrics implements AutoCloseable {
  private final CompositeMeterRegistry registry;
  private final CardinalityGuard guard;
  private final CairnHealthMeters health;
  private final PrometheusSupport prometheus;
  /** Prometheus was asked for (the default) but its library is absent. */
  private final boolean prometheusMissing;
  private final OtlpSupport otlp;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private CairnMetrics(MetricsSettings settings) {
    this.registry = new CompositeMeterRegistry();
    List<Tag> tags = new ArrayList<>();
    for (Map.Entry<String, String> e : settings.commonTags().entrySet()) {
      tags.add(Tag.of(e.getKey(), e.getValue()));
    }
    // Common tags first, so the guard sees the tag sets that will really be exported.
    registry.config().commonTags(tags);
    if (settings.guardEnabled()) {
      guard = CardinalityGuard.of(settings.maxTagSetsPerName(), settings.maxMeters());
      registry.config().meterFilter(guard);
    } else {
      guard = null;
    }
    registry.add(new SimpleMeterRegistry());
    this.prometheus = settings.prometheus() ? PrometheusSupport.createIfPresent() : null;
    this.prometheusMissing = settings.prometheus() && !PrometheusSupport.present();
    if (prometheus != null) {
      registry.add(prometheus.registry());
    }
    this.otlp =
        settings.otlpEndpoint().isPresent()
            ? OtlpSupport.create(
                settings.otlpEndpoint().get(),
                settings.otlpHeaders(),
                settings.otlpStep(),
                settings.commonTags())
            : null;
    if (otlp != null) {
      registry.add(otlp.registry());
    }
    this.health = CairnHealthMeters.global();
    health.bindTo(registry);
    if (settings.jvmMetrics()) {
      new ClassLoaderMetrics().bindTo(registry);
      new JvmMemoryMetrics().bindTo(registry);
      JvmGcMetrics gc = new JvmGcMetrics();
      gc.bindTo(registry);
      closeables.add(gc);
      JvmThreadMetrics threads = new JvmThreadMetrics();
      threads.bindTo(registry);
    }
    if (settings.systemMetrics()) {
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      new FileDescriptorMetrics().bindTo(registry);
    }
  }

  /** Builds the registry with these settings. */
  public static CairnMetrics create(MetricsSettings settings) {
    return new CairnMetrics(settings);
  }

  /** The registry to record into (a composite; add your own registries to it if you like). */
  public MeterRegistry registry() {
    return registry;
  }

  /** The cardinality guard, unless it was turned off. */
  public Optional<CardinalityGuard> guard() {
    return Optional.ofNullable(guard);
  }

  /** The Prometheus text exposition, when the Prometheus registry is present. */
  public Optional<String> prometheusText() {
    if (prometheus == null) {
      reportIfMissing();
      return Optional.empty();
    }
    try {
      return Optional.of(prometheus.scrape());
    } catch (RuntimeException e) {
      Reporter.warn("metrics.prometheus.scrape", "Prometheus scrape failed: " + e, null);
      return Optional.empty();
    }
  }

  /**
   * The OpenMetrics exposition (which carries exemplars: trace and span ids of sampled spans),
   * when the Prometheus registry is present.
   */
  public Optional<String> openMetricsText() {
    if (prometheus == null) {
      reportIfMissing();
      return Optional.empty();
    }
    try {
      return Optional.of(prometheus.scrape(PrometheusSupport.OPENMETRICS));
    } catch (RuntimeException e) {
      Reporter.warn("metrics.prometheus.scrape", "OpenMetrics scrape failed: " + e, null);
      return Optional.empty();
    }
  }

  /**
   * Without the library, the default setup starts all the same and the text methods answer empty;
   * the first call says why (once per process), since an empty scrape alone explains nothing.
   */
  private void reportIfMissing() {
    if (prometheusMissing) {
      PrometheusSupport.reportMissing();
    }
  }

  /** Stops binders and closes the registries. */
  @Override
  public void close() {
    health.close();
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        Reporter.warn("metrics.close", "Closing a metrics binder failed: " + e, null);
      }
    }
    if (otlp != null) {
      otlp.close(); // publishes the last step before stopping
    }
    if (prometheus != null) {
      prometheus.close();
    }
    registry.close();
  }
}
