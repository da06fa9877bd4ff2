package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.export.NdjsonExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The start-up line saying where spans, logs and metrics go. */
@ExtendWith(OutputCaptureExtension.class)
class CairnExportSummaryTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(
              CairnLogsExportAutoConfiguration.class, CairnTracingAutoConfiguration.class))
          // Never reached: the contexts record no span and their exporters close at once.
          .withPropertyValues("cairn.export.timeout=1s");

  private static String summary(CapturedOutput output) {
    return output.getOut().lines().filter(l -> l.contains("Cairn export:")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no summary in:\n" + output.getOut()));
  }

  @Test
  void nothingConfigured_saysNothingIsExported(CapturedOutput output) {
    runner.run(context -> { });

    assertThat(summary(output))
        .contains("spans -> not exported (no cairn.export.endpoint)")
        .contains("logs -> not exported (no cairn.export.logs.endpoint)")
        .contains("metrics -> not exported by Cairn (no Micrometer registry)");
  }

  @Test
  void logsEndpoint_isNamedWithItsProtocol(CapturedOutput output) {
    runner.withPropertyValues("cairn.export.logs.endpoint=http://loki:3100/loki/api/v1/push",
            "cairn.export.logs.protocol=loki")
        .run(context -> { });

    assertThat(summary(output)).contains("logs -> loki http://loki:3100/loki/api/v1/push;");
  }

  @Test
  void zipkinSpans_areNamedWithTheirPath_andTheLogsEndpointWithoutALogsProtocolIsExplained(
      CapturedOutput output) {
    runner.withPropertyValues("cairn.export.protocol=zipkin", "cairn.export.endpoint=http://zipkin:9411",
            "cairn.export.logs.endpoint=http://collector:4318/v1/logs")
        .run(context -> { });

    assertThat(summary(output))
        .contains("spans -> zipkin http://zipkin:9411/api/v2/spans;")
        .contains("logs -> not exported (protocol zipkin carries no logs; set cairn.export.logs.protocol)");
  }

  @Test
  void credentialsInTheUrl_areNotPrinted(CapturedOutput output) {
    runner.withPropertyValues("cairn.export.endpoint=https://user:s3cret@collector:4318/otlp?api-key=k3y")
        .run(context -> { });

    assertThat(summary(output))
        .contains("spans -> otlp https://collector:4318/otlp/v1/traces?...")
        .doesNotContain("s3cret", "k3y", "user");
  }

  @Test
  void theApplicationsOwnCairnBean_isDescribedByItsExporters(CapturedOutput output) {
    runner.withUserConfiguration(OwnCairn.class)
        .withPropertyValues("cairn.export.endpoint=http://collector:4318")
        .run(context -> { });

    assertThat(summary(output)).contains("spans -> exporters of the application's Cairn bean: ndjson;");
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnCairn {
    @Bean(destroyMethod = "close")
    Cairn cairn() {
      return Cairn.builder().shutdownHook(false).addSpanExporter(NdjsonExporter.spansToStdout()).build();
    }
  }
}
