package dev.cairn.spring.boot.tracing.it;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The starter next to Micrometer Tracing's Brave bridge, configured by Boot's own auto-configuration. */
class BraveCoexistenceTest extends CoexistenceContract {
  static final List<MutableSpan> BRAVE_SPANS = new CopyOnWriteArrayList<>();

  /** Collects every span Brave reports, as a reporter would receive them. */
  @Configuration(proxyBeanMethods = false)
  static class BraveSpans {
    @Bean
    SpanHandler collectingSpanHandler() {
      return new SpanHandler() {
        @Override
        public boolean end(TraceContext context, MutableSpan span, Cause cause) {
          BRAVE_SPANS.add(span);
          return true;
        }
      };
    }
  }

  @Override
  CoexistenceApp start(Path dir) throws Exception {
    BRAVE_SPANS.clear();
    return new CoexistenceApp(
        dir,
        BraveSpans.class,
        "--spring.autoconfigure.exclude="
            + "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration,"
            + "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration");
  }

  @Override
  List<Reported> reported() {
    return BRAVE_SPANS.stream()
        .map(s -> new Reported(String.valueOf(s.kind()), s.traceId(), s.id(), s.parentId()))
        .toList();
  }
}
