package dev.cairn;

import dev.cairn.context.Scope;
import dev.cairn.export.otlp.OtlpSpanExporter;
import dev.cairn.metrics.CairnMetrics;
import dev.cairn.metrics.MetricsSettings;
import dev.cairn.span.Span;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One deployment of an application for {@link RedeployTest}, loaded by that test's throwaway class
 * loader: a Cairn with an HTTP exporter and a CairnMetrics with Prometheus (and exemplars), used
 * and closed. Only JDK types cross the loader boundary.
 */
public final class RedeployCycle implements Consumer<String> {
  @Override
  public void accept(String tracesUrl) {
    Cairn cairn =
        Cairn.builder()
            .serviceName("redeploy")
            .addSpanExporter(OtlpSpanExporter.builder().endpoint(tracesUrl).build())
            .build();
    CairnMetrics metrics =
        CairnMetrics.create(MetricsSettings.builder().jvmMetrics(true).systemMetrics(true).build());
    Span span = cairn.tracer().startSpan("request");
    try (Scope ignored = span.makeCurrent()) {
      metrics.registry().timer("request.duration").record(Duration.ofMillis(3));
      metrics.registry().counter("requests").increment();
    }
    span.end();
    if (!metrics.openMetricsText().orElse("").contains("trace_id")) {
      throw new AssertionError("no exemplar: Prometheus was not in use");
    }
    if (!cairn.flush(Duration.ofSeconds(10))) {
      throw new AssertionError("the span was not exported");
    }
    metrics.close();
    cairn.close();
  }
}
