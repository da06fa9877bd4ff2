package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.internal.export.ExportConfig;
import dev.cairn.pipeline.DropPolicy;
import dev.cairn.resource.Resource;
import dev.cairn.span.Sampler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnEnvironmentTest {

  private static Cairn.Builder from(Map<String, String> props, Map<String, String> env) {
    return Cairn.builder()
        .shutdownHook(false)
        .resource(Resource.builder().serviceName("env-test").build())
        .applyEnvironment(new ExportConfig(props, env));
  }

  @Test
  void otelSamplerVariables_chooseTheSampler() {
    Cairn c =
        from(Map.of(), Map.of("OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.25"))
            .build();
    assertThat(c.config().sampler().description()).startsWith("ParentBased{root=TraceIdRatioBased{0.25}");
    c.close();
  }

  @Test
  void cairnProperties_winOverOtelVariables() {
    Cairn c =
        from(Map.of("cairn.traces.sampler", "always_off"), Map.of("OTEL_TRACES_SAMPLER", "always_on"))
            .build();
    assertThat(c.config().sampler()).isSameAs(Sampler.alwaysOff());
    c.close();
  }

  @Test
  void otelSdkDisabled_buildsTheNoopInstance() {
    assertThat(from(Map.of(), Map.of("OTEL_SDK_DISABLED", "true")).build()).isSameAs(Cairn.noop());
  }

  @Test
  void spanLimitsAndCloseTimeout_comeFromTheEnvironment() {
    Cairn c =
        from(
                Map.of("cairn.close-timeout", "2s"),
                Map.of("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "7", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "99"))
            .build();
    assertThat(c.config().spanLimits().maxAttributes()).isEqualTo(7);
    assertThat(c.config().spanLimits().maxAttributeValueLength()).isEqualTo(99);
    assertThat(c.config().closeTimeout()).isEqualTo(Duration.ofSeconds(2));
    c.close();
  }

  @Test
  void ndjsonExporter_fromTheEnvironmentWritesSpansWithTheResource(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spans.ndjson");
    Cairn c =
        from(
                Map.of("cairn.export.ndjson.file", file.toString(), "cairn.export.drop-policy", "drop_oldest"),
                Map.of("OTEL_TRACES_EXPORTER", "console", "OTEL_BSP_SCHEDULE_DELAY", "60000"))
            .build();
    c.tracer().startSpan("from-env").end();
    assertThat(c.close(Duration.ofSeconds(10))).isTrue();
    assertThat(Files.readString(file)).contains("\"name\":\"from-env\"", "\"service.name\":\"env-test\"");
    assertThat(c.exporterHealth()).hasSize(1);
    assertThat(DropPolicy.valueOf("DROP_OLDEST")).isNotNull();
  }

  @Test
  void malformedValues_areRejectedNamingTheSetting() {
    assertThatThrownBy(() -> from(Map.of(), Map.of("OTEL_TRACES_SAMPLER", "sometimes")))
        .hasMessageContaining("unknown sampler 'sometimes'");
    assertThatThrownBy(() -> from(Map.of(), Map.of("OTEL_BSP_MAX_QUEUE_SIZE", "lots")))
        .hasMessageContaining("OTEL_BSP_MAX_QUEUE_SIZE");
    assertThatThrownBy(() -> from(Map.of("cairn.enabled", "yes"), Map.of()))
        .hasMessageContaining("cairn.enabled");
    assertThatThrownBy(() -> from(Map.of(), Map.of("OTEL_TRACES_EXPORTER", "jaeger")))
        .hasMessageContaining("OTEL_TRACES_EXPORTER")
        .hasMessageContaining("jaeger");
    assertThatThrownBy(() -> from(Map.of(), Map.of("CAIRN_EXPORT_DROP_POLICY", "random")))
        .hasMessageContaining("CAIRN_EXPORT_DROP_POLICY");
  }
}
