package dev.cairn.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.pipeline.ExportSettings;
import dev.cairn.pipeline.Pipeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExporterMetersTest {
  /** Holds every export call until released. */
  static final class HeldExporter implements Exporter<String> {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String name() {
      return "held";
    }

    @Override
    public ExportResult export(List<String> batch) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ExportResult.success();
    }
  }

  @Test
  void queuedGauge_showsItemsWaitingAndFallsToZeroOnceExported() throws Exception {
    HeldExporter held = new HeldExporter();
    Pipeline<String> p =
        Pipeline.<String>builder("logs")
            .addExporter(held, ExportSettings.builder().queueCapacity(64).build())
            .build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try {
      ExporterMeters.of(List.<Pipeline<?>>of(p)).bindTo(registry);
      for (int i = 0; i < 5; i++) {
        p.emit("line " + i);
      }
      assertThat(gauge(registry, "cairn.export.queued")).isEqualTo(5);
      assertThat(gauge(registry, "cairn.export.queue.capacity")).isEqualTo(64);
      held.release.countDown();
      assertThat(p.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(gauge(registry, "cairn.export.queued")).isZero();
      assertThat(
              registry.get("cairn.export.last.duration").tag("exporter", "held").timeGauge()
                  .value(TimeUnit.NANOSECONDS))
          .isPositive();
    } finally {
      held.release.countDown();
      p.close(Duration.ofSeconds(5));
    }
  }

  @Test
  void gauges_areLintCleanInThePrometheusExposition() {
    Pipeline<String> p =
        Pipeline.<String>builder("spans").addExporter(new HeldExporter()).build();
    try (CairnMetrics m = CairnMetrics.create(MetricsSettings.builder().build())) {
      ExporterMeters.of(List.<Pipeline<?>>of(p)).bindTo(m.registry());
      String text = m.prometheusText().orElseThrow();
      assertThat(CairnMetricsTest.lintProblems(text)).isEmpty();
      assertThat(text)
          .contains("cairn_export_queued_items{")
          .contains("exporter=\"held\"")
          .contains("signal=\"spans\"");
    } finally {
      p.close(Duration.ofSeconds(1));
    }
  }

  private static double gauge(SimpleMeterRegistry registry, String name) {
    return registry.get(name).tag("exporter", "held").gauge().value();
  }
}
