package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class CairnEnvironmentPostProcessorTest {

  private static final String CAIRN_FORMATTER = CairnLogFormatter.class.getName();
  private static final Map<String, Object> KUBERNETES =
      Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");

  private static StandardEnvironment env(Map<String, Object> values) {
    return env(Map.of(), values);
  }

  /**
   * An environment whose process environment is {@code systemEnv} only (not this JVM's, which on a
   * CI pod would itself look like Kubernetes), with {@code values} on top.
   */
  private static StandardEnvironment env(Map<String, Object> systemEnv, Map<String, Object> values) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().replace(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, systemEnv));
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

  @Test
  void otlpEndpoint_sendsLogsToItsV1Logs_asOpenTelemetryDefinesForEverySignal() {
    StandardEnvironment e = env(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"));
    assertThat(e.getProperty("cairn.export.logs.endpoint")).isEqualTo("http://collector:4318/v1/logs");
    assertThat(e.getProperty("cairn.export.logs.protocol")).isEqualTo("otlp");
  }

  @Test
  void otlpLogsEndpoint_isUsedAsGiven() {
    StandardEnvironment e =
        env(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://logs:4318/custom/logs"));
    assertThat(e.getProperty("cairn.export.logs.endpoint")).isEqualTo("http://logs:4318/custom/logs");
  }

  @Test
  void otelLogsExporterNone_sendsNoLogs() {
    StandardEnvironment e =
        env(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_LOGS_EXPORTER", "none"));
    assertThat(e.getProperty("cairn.export.logs.endpoint")).isNull();
    assertThat(e.getProperty("cairn.export.endpoint")).isEqualTo("http://collector:4318");
  }

  @Test
  void cairnExportEndpointAlone_setsNoLogsEndpoint() {
    assertThat(env(Map.of("cairn.export.endpoint", "http://collector:4318")).getProperty("cairn.export.logs.endpoint"))
        .isNull();
  }

  @Test
  void otlpTracesEndpoint_isTheFullTracesUrl_notABaseUrl() {
    StandardEnvironment e = env(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces"));
    assertThat(e.getProperty("cairn.export.traces.endpoint")).isEqualTo("http://collector:4318/v1/traces");
    assertThat(e.getProperty("cairn.export.endpoint")).isNull();
    assertThat(e.getProperty("cairn.export.logs.endpoint")).isNull();
  }

  @Test
  void onKubernetes_theConsoleGetsCairnsJson_andTheFileIsLeftAlone() {
    StandardEnvironment e = env(KUBERNETES, Map.of());
    assertThat(e.getProperty("logging.structured.format.console")).isEqualTo(CAIRN_FORMATTER);
    assertThat(e.getProperty("logging.structured.format.file")).isNull();
  }

  @Test
  void onCloudFoundry_theConsoleGetsCairnsJson() {
    assertThat(env(Map.of("VCAP_APPLICATION", "{}"), Map.of()).getProperty("logging.structured.format.console"))
        .isEqualTo(CAIRN_FORMATTER);
  }

  @Test
  void withoutACloudPlatform_theConsoleKeepsBootsText() {
    assertThat(env(Map.of(), Map.of()).getProperty("logging.structured.format.console")).isNull();
  }

  @Test
  void onKubernetes_bootsOwnConsoleFormatWins() {
    assertThat(env(KUBERNETES, Map.of("logging.structured.format.console", "ecs"))
            .getProperty("logging.structured.format.console"))
        .isEqualTo("ecs");
  }

  @Test
  void onKubernetes_plainKeepsBootsText() {
    StandardEnvironment e = env(KUBERNETES, Map.of("cairn.logging.format", "plain"));
    assertThat(e.getProperty("logging.structured.format.console")).isNull();
    assertThat(e.getProperty("logging.structured.format.file")).isNull();
  }

  @Test
  void onKubernetes_cloudPlatformNone_orCairnDisabled_keepsBootsText() {
    assertThat(env(KUBERNETES, Map.of("spring.main.cloud-platform", "none"))
            .getProperty("logging.structured.format.console"))
        .isNull();
    assertThat(env(KUBERNETES, Map.of("cairn.enabled", "false")).getProperty("logging.structured.format.console"))
        .isNull();
  }

  @Test
  void enforcedCloudPlatform_theConsoleGetsCairnsJson() {
    assertThat(env(Map.of(), Map.of("spring.main.cloud-platform", "kubernetes"))
            .getProperty("logging.structured.format.console"))
        .isEqualTo(CAIRN_FORMATTER);
  }
}
