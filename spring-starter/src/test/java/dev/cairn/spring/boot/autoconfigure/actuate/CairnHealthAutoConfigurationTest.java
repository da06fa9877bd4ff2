package dev.cairn.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.span.SpanData;
import dev.cairn.spring.boot.autoconfigure.CairnBuilderCustomizer;
import dev.cairn.spring.boot.autoconfigure.CairnTracingAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class CairnHealthAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CairnTracingAutoConfiguration.class, CairnHealthAutoConfiguration.class))
          .withUserConfiguration(TwoExporters.class);

  /** Exporters whose result is fixed: one that accepts, one whose backend is down. */
  @Configuration(proxyBeanMethods = false)
  static class TwoExporters {
    @Bean
    CairnBuilderCustomizer exporters() {
      return b -> b.addSpanExporter(new Fixed("healthy", ExportResult.success()))
          .addSpanExporter(new Fixed("broken", ExportResult.failure("http_503", "backend unavailable")));
    }
  }

  record Fixed(String name, ExportResult result) implements Exporter<SpanData> {
    @Override
    public ExportResult export(List<SpanData> batch) {
      return result;
    }
  }

  static Health child(ApplicationContext context, String name) {
    CompositeHealthContributor cairn = (CompositeHealthContributor) context.getBean("cairnHealthContributor");
    HealthContributor c = cairn.getContributor(name);
    assertThat(c).as("child %s", name).isInstanceOf(HealthIndicator.class);
    return ((HealthIndicator) c).health();
  }

  static void exportOneSpan(ApplicationContext context) {
    Cairn cairn = context.getBean(Cairn.class);
    cairn.tracer().spanBuilder("checkout").startSpan().end();
    cairn.flush(Duration.ofSeconds(5));
  }

  @Test
  void registersOneChildPerExporterNamedBySignalAndExporter() {
    runner.run(context -> {
      CompositeHealthContributor cairn = context.getBean("cairnHealthContributor", CompositeHealthContributor.class);
      assertThat(cairn.stream().map(HealthContributors.Entry::name)).containsExactly("spans-healthy", "spans-broken");
    });
  }

  @Test
  void childReportsCountsAndTheTimeOfTheLatestSuccess() {
    runner.run(context -> {
      exportOneSpan(context);
      Health h = child(context, "spans-healthy");
      assertThat(h.getStatus()).isEqualTo(Status.UP);
      assertThat(h.getDetails())
          .containsEntry("exported", 1L)
          .containsEntry("queued", 0L)
          .containsEntry("dropped", 0L)
          .containsEntry("failed", 0L)
          .containsEntry("failing", false)
          .containsKey("lastSuccess")
          .doesNotContainKeys("lastError", "lastFailure");
    });
  }

  @Test
  void failingExporterStaysUpByDefaultAndSaysItIsFailing() {
    runner.run(context -> {
      exportOneSpan(context);
      Health h = child(context, "spans-broken");
      assertThat(h.getStatus()).isEqualTo(Status.UP);
      assertThat(h.getDetails())
          .containsEntry("failing", true)
          .containsEntry("dropped", 1L)
          .containsEntry("droppedByReason", Map.of("export_failed", 1L))
          .containsEntry("failed", 1L)
          .containsEntry("lastError", "http_503: backend unavailable")
          .containsKey("lastFailure");
    });
  }

  @Test
  void lastErrorIsRedactedLikeTheDiagnosticsPage() {
    runner.withUserConfiguration(LeakyExporter.class).run(context -> {
      exportOneSpan(context);
      assertThat((String) child(context, "spans-leaky").getDetails().get("lastError"))
          .contains("http_401", "[REDACTED]")
          .doesNotContain("s3cr3t");
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class LeakyExporter {
    @Bean
    CairnBuilderCustomizer leaky() {
      return b -> b.addSpanExporter(
          new Fixed("leaky", ExportResult.failure("http_401", "rejected https://user:s3cr3t@collector.internal/v1/traces")));
    }
  }

  @Test
  void failingExporterIsDownWhenDownOnFailureIsSet() {
    runner.withPropertyValues("cairn.health.exporters.down-on-failure=true").run(context -> {
      exportOneSpan(context);
      assertThat(child(context, "spans-broken").getStatus()).isEqualTo(Status.DOWN);
      assertThat(child(context, "spans-healthy").getStatus()).isEqualTo(Status.UP);
    });
  }

  @Test
  void exporterThatHasNotExportedYetIsUp() {
    runner.withPropertyValues("cairn.health.exporters.down-on-failure=true")
        .run(context -> assertThat(child(context, "spans-broken").getStatus()).isEqualTo(Status.UP));
  }

  @Test
  void unknownChildIsAbsent() {
    runner.run(context -> assertThat(
            context.getBean("cairnHealthContributor", CompositeHealthContributor.class).getContributor("spans-nope"))
        .isNull());
  }

  @Test
  void backsOffForTheApplicationsOwnCairnHealthContributor() {
    runner.withUserConfiguration(OwnContributor.class).run(context -> {
      assertThat(context).doesNotHaveBean(CairnExportersHealthContributor.class);
      assertThat(context.getBean("cairnHealthContributor")).isInstanceOf(HealthIndicator.class);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnContributor {
    @Bean
    HealthIndicator cairnHealthContributor() {
      return () -> Health.up().build();
    }
  }

  @Test
  void switchedOffWithManagementHealthCairnEnabledFalse() {
    runner.withPropertyValues("management.health.cairn.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(CairnExportersHealthContributor.class));
  }

  @Test
  void absentWithoutActuatorsHealthClasses() {
    runner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
        .run(context -> assertThat(context).doesNotHaveBean("cairnHealthContributor"));
  }

  @Test
  void absentWithoutACairnBean() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CairnHealthAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean("cairnHealthContributor"));
  }

  @Test
  void absentWhenCairnIsDisabled() {
    runner.withPropertyValues("cairn.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(CairnExportersHealthContributor.class));
  }
}
