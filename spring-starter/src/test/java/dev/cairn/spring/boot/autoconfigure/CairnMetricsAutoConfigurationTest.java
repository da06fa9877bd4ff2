package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.metrics.CairnHealthMeters;
import dev.cairn.metrics.CardinalityGuard;
import dev.cairn.span.SpanData;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class CairnMetricsAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CairnMetricsAutoConfiguration.class));

  @Test
  void guardAndHealthMeters_areOnByDefault() {
    runner.run(
        ctx -> {
          assertThat(ctx).hasSingleBean(CardinalityGuard.class);
          assertThat(ctx).hasSingleBean(CairnHealthMeters.class);
          assertThat(ctx.getBean(CardinalityGuard.class).maxPerName()).isEqualTo(1000);
        });
  }

  @Test
  void exporterQueueGauges_areBoundForTheCairnInstancesExporters() {
    Exporter<SpanData> quiet =
        new Exporter<>() {
          @Override
          public String name() {
            return "quiet";
          }

          @Override
          public ExportResult export(List<SpanData> batch) {
            return ExportResult.success();
          }
        };
    runner
        .withBean(Cairn.class, () -> Cairn.builder().shutdownHook(false).addSpanExporter(quiet).build())
        .run(
            ctx -> {
              SimpleMeterRegistry registry = new SimpleMeterRegistry();
              ctx.getBean("cairnExporterMeters", MeterBinder.class).bindTo(registry);
              assertThat(
                      registry.get("cairn.export.queue.capacity")
                          .tags("signal", "spans", "exporter", "quiet").gauge().value())
                  .isPositive();
            });
  }

  @Test
  void guardLimits_comeFromProperties() {
    runner
        .withPropertyValues("cairn.metrics.cardinality.max-per-name=5", "cairn.metrics.cardinality.max-total=50")
        .run(
            ctx -> {
              assertThat(ctx.getBean(CardinalityGuard.class).maxPerName()).isEqualTo(5);
              assertThat(ctx.getBean(CardinalityGuard.class).maxTotal()).isEqualTo(50);
            });
  }

  @Test
  void guard_canBeTurnedOff() {
    runner
        .withPropertyValues("cairn.metrics.cardinality.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(CardinalityGuard.class));
  }

  @Test
  void guard_backsOffForAUserBean() {
    CardinalityGuard mine = CardinalityGuard.of(7, 70);
    runner.withBean(CardinalityGuard.class, () -> mine).run(ctx -> assertThat(ctx.getBean(CardinalityGuard.class)).isSameAs(mine));
  }

  @Test
  void withoutMicrometer_nothingIsConfigured() {
    runner
        .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
        .run(ctx -> assertThat(ctx).doesNotHaveBean(CardinalityGuard.class));
  }
}
