package dev.cairn.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Closing the last CairnMetrics stops the Prometheus client's exemplar scheduler only in a
 * deployment's own class loader (see {@code RedeployTest}); in the system class loader, which
 * lives as long as the JVM, a registry created after a close still gets exemplars.
 */
class PrometheusSchedulerTest {
  @Test
  void close_inTheSystemClassLoader_leavesExemplarsToTheNextRegistry() {
    assertThat(CairnMetrics.class.getClassLoader()).isSameAs(ClassLoader.getSystemClassLoader());
    for (int round = 0; round < 2; round++) {
      try (CairnMetrics m = CairnMetrics.create(MetricsSettings.defaults())) {
        Timer timer = Timer.builder("scheduler.probe").register(m.registry());
        TraceContext c = TraceContext.newRoot(true);
        try (Scope ignored = c.makeCurrent()) {
          timer.record(Duration.ofMillis(5));
        }
        assertThat(m.openMetricsText().orElseThrow()).as("round " + round)
            .contains("trace_id=\"" + c.traceIdHex() + "\"");
      }
    }
  }
}
