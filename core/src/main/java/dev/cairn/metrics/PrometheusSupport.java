package dev.cairn.metrics;

import dev.cairn.internal.Reporter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Touches {@code micrometer-registry-prometheus} only when it is on the classpath: this class is
 * loaded by {@link CairnMetrics} unconditionally, but the Prometheus types live in {@link Impl},
 * which is loaded only after the presence check.
 */
final class PrometheusSupport {
  private final Impl impl;

  private PrometheusSupport(Impl impl) {
    this.impl = impl;
  }

  static boolean present() {
    try {
      Class.forName(
          "io.micrometer.prometheusmetrics.PrometheusMeterRegistry",
          false,
          PrometheusSupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static PrometheusSupport createIfPresent() {
    if (!present()) {
      return null;
    }
    try {
      return new PrometheusSupport(new Impl());
    } catch (RuntimeException | LinkageError e) {
      Reporter.warn("metrics.prometheus.init", "Prometheus registry unavailable: " + e, null);
      return null;
    }
  }

  MeterRegistry registry() {
    return impl.registry;
  }

  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  String scrape() {
    return impl.registry.scrape();
  }

  String scrape(String contentType) {
    return impl.registry.scrape(contentType);
  }

  private static final class Impl {
    final io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT,
            new io.prometheus.metrics.model.registry.PrometheusRegistry(),
            io.micrometer.core.instrument.Clock.SYSTEM,
            new TraceExemplars());
  }
}
