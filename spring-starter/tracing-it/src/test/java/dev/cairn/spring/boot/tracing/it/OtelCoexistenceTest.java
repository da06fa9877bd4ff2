package dev.cairn.spring.boot.tracing.it;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The starter next to Micrometer Tracing's OpenTelemetry bridge and Boot's OpenTelemetry SDK,
 * configured by Boot's own auto-configuration.
 */
class OtelCoexistenceTest extends CoexistenceContract {
  static final List<SpanData> OTEL_SPANS = new CopyOnWriteArrayList<>();

  /** Collects every span the SDK ends, as an exporter would receive them (without batching). */
  @Configuration(proxyBeanMethods = false)
  static class OtelSpans {
    @Bean
    SpanProcessor collectingSpanProcessor() {
      return new SpanProcessor() {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
          return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
          OTEL_SPANS.add(span.toSpanData());
        }

        @Override
        public boolean isEndRequired() {
          return true;
        }
      };
    }
  }

  @Override
  CoexistenceApp start(Path dir) throws Exception {
    OTEL_SPANS.clear();
    return new CoexistenceApp(
        dir,
        OtelSpans.class,
        "--spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration");
  }

  @Override
  List<Reported> reported() {
    return OTEL_SPANS.stream()
        .map(
            s ->
                new Reported(
                    s.getKind().name(),
                    s.getTraceId(),
                    s.getSpanId(),
                    s.getParentSpanContext().isValid() ? s.getParentSpanId() : null))
        .toList();
  }
}
