package dev.cairn.metrics;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.Reporter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OTLP metrics through {@code micrometer-registry-otlp}, touched only when that library is present.
 * As in {@link PrometheusSupport}, nothing in this class names an OTLP type (the verifier would load
 * it to check an assignment); those types live in {@link Impl}, loaded after the check.
 */
final class OtlpSupport {
  static final String MISSING =
      "OTLP metrics endpoint is set but io.micrometer:micrometer-registry-otlp is not on the"
          + " classpath; metrics are not exported";

  /** An {@code OtlpMeterRegistry}, typed as what every caller needs. */
  private final MeterRegistry registry;

  private OtlpSupport(MeterRegistry registry) {
    this.registry = registry;
  }

  static boolean present() {
    try {
      Class.forName(
          "io.micrometer.registry.otlp.OtlpMeterRegistry", false, OtlpSupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static OtlpSupport create(String url, Map<String, String> headers, Duration step, Map<String, String> resource) {
    if (!present()) {
      Reporter.warnAtMostEvery(Long.MAX_VALUE, "metrics.otlp.missing", MISSING, null);
      return null;
    }
    return new OtlpSupport(Impl.newRegistry(url, headers, step, resource));
  }

  MeterRegistry registry() {
    return registry;
  }

  /** Publishes the last step and stops the push thread. */
  void close() {
    registry.close();
  }

  /** Everything that names an OTLP type; loaded only once the library is known present. */
  private static final class Impl {
    private Impl() {}

    static MeterRegistry newRegistry(
        String url, Map<String, String> headers, Duration step, Map<String, String> resource) {
      io.micrometer.registry.otlp.OtlpConfig config =
          new io.micrometer.registry.otlp.OtlpConfig() {
            @Override
            public String get(String key) {
              return null; // everything below is explicit; no environment lookups behind our back
            }

            @Override
            public String url() {
              return url;
            }

            @Override
            public Duration step() {
              return step;
            }

            @Override
            public Map<String, String> headers() {
              return headers;
            }

            @Override
            public Map<String, String> resourceAttributes() {
              return resource;
            }
          };
      AtomicInteger n = new AtomicInteger();
      return io.micrometer.registry.otlp.OtlpMeterRegistry.builder(config)
          .threadFactory(
              r -> {
                Thread t = new Thread(r, "cairn-otlp-metrics-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              })
          .exemplarContextProvider(
              () -> {
                TraceContext c = TraceContext.current();
                return c.isValid() && c.isSampled()
                    ? new io.micrometer.registry.otlp.OtlpExemplarContext(c.traceIdHex(), c.spanIdHex())
                    : null;
              })
          .build();
    }
  }
}
