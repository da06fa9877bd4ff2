package dev.cairn.metrics;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.Reporter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OTLP metrics through {@code micrometer-registry-otlp}, touched only when that library is present
 * (its types live in {@link Impl}, loaded after the check).
 */
final class OtlpSupport {
  private final Impl impl;

  private OtlpSupport(Impl impl) {
    this.impl = impl;
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
      Reporter.warn(
          "metrics.otlp.missing",
          "OTLP metrics endpoint is set but io.micrometer:micrometer-registry-otlp is not on the classpath; metrics are not exported",
          null);
      return null;
    }
    return new OtlpSupport(new Impl(url, headers, step, resource));
  }

  MeterRegistry registry() {
    return impl.registry;
  }

  void close() {
    impl.registry.close();
  }

  private static final class Impl {
    final io.micrometer.registry.otlp.OtlpMeterRegistry registry;

    Impl(String url, Map<String, String> headers, Duration step, Map<String, String> resource) {
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
      registry =
          io.micrometer.registry.otlp.OtlpMeterRegistry.builder(config)
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
