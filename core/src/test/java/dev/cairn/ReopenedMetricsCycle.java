package dev.cairn;

import dev.cairn.context.Scope;
import dev.cairn.metrics.CairnMetrics;
import dev.cairn.metrics.MetricsSettings;
import dev.cairn.span.Span;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * For {@link RedeployTest}, in a throwaway loader: a CairnMetrics created after the last one was
 * closed (which stopped the Prometheus client's scheduler there) records sampled spans without
 * throwing, and scrapes; it reports "exemplars off" through {@code sink}.
 */
public final class ReopenedMetricsCycle implements Consumer<StringBuilder> {
  @Override
  public void accept(StringBuilder sink) {
    Cairn cairn = Cairn.builder().serviceName("reopen").shutdownHook(false).build();
    for (int i = 0; i < 2; i++) {
      CairnMetrics metrics = CairnMetrics.create(MetricsSettings.builder().build());
      Span span = cairn.tracer().startSpan("request");
      try (Scope ignored = span.makeCurrent()) {
        metrics.registry().timer("request.duration").record(Duration.ofMillis(3));
        metrics.registry().counter("requests").increment();
      }
      span.end();
      sink.append("round ").append(i).append(" exemplars ")
          .append(metrics.openMetricsText().orElse("").contains("trace_id")).append('\n');
      metrics.close();
    }
    cairn.close();
  }
}
