package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class CairnEnvironmentPostProcessorTest {

  private static StandardEnvironment env(Map<String, Object> values) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", values));
    new CairnEnvironmentPostProcessor().postProcessEnvironment(env, new SpringApplication());
    return env;
  }

  @Test
  void plainLogPatterns_getCairnsIdsThroughBootsCorrelationConverter() {
    assertThat(env(Map.of()).getProperty("logging.pattern.correlation"))
        .isEqualTo("%correlationId{traceId(32),spanId(16)}");
    assertThat(
            env(Map.of("cairn.mdc.trace-id-key", "trace_id", "cairn.mdc.span-id-key", "span_id"))
                .getProperty("logging.pattern.correlation"))
        .isEqualTo("%correlationId{trace_id(32),span_id(16)}");
  }

  @Test
  void anApplicationsOwnCorrelationPattern_orMdcOff_isLeftAlone() {
    assertThat(env(Map.of("logging.pattern.correlation", "[%X{traceId}] "))
            .getProperty("logging.pattern.correlation"))
        .isEqualTo("[%X{traceId}] ");
    assertThat(env(Map.of("cairn.mdc.enabled", "false")).getProperty("logging.pattern.correlation"))
        .isNull();
  }

  @Test
  void otelServiceName_becomesTheServiceName() {
    assertThat(env(Map.of("OTEL_SERVICE_NAME", "orders")).getProperty("cairn.service-name")).isEqualTo("orders");
  }

  @Test
  void springApplicationName_isTheFallbackServiceName() {
    assertThat(env(Map.of("spring.application.name", "billing")).getProperty("cairn.service-name"))
        .isEqualTo("billing");
  }

  @Test
  void explicitCairnServiceName_winsOverOtel() {
    assertThat(
            env(Map.of("OTEL_SERVICE_NAME", "otel", "cairn.service-name", "explicit"))
                .getProperty("cairn.service-name"))
        .isEqualTo("explicit");
  }

  @Test
  void otlpEndpointAndResourceAttributes_areHonoured() {
    StandardEnvironment e =
        env(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318", "OTEL_RESOURCE_ATTRIBUTES", "team=shop"));
    assertThat(e.getProperty("cairn.export.endpoint")).isEqualTo("http://127.0.0.1:4318");
    assertThat(e.getProperty("cairn.export.protocol")).isEqualTo("otlp");
    assertThat(e.getProperty("cairn.resource-attributes")).isEqualTo("team=shop");
  }
}
