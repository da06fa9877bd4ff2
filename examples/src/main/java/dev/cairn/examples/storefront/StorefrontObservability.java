package dev.cairn.examples.storefront;

import dev.cairn.Cairn;
import dev.cairn.diagnostics.DiagnosticsSettings;
import dev.cairn.diagnostics.Fingerprint;
import dev.cairn.jfr.CairnJfr;
import dev.cairn.jfr.JfrDiagnosticsContributor;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.resource.Resource;
import dev.cairn.spring.boot.autoconfigure.CairnBuilderCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * What a team adds on top of the starter's zero-configuration defaults when it wants the flight
 * recorder and the diagnostics page: a customizer of the starter's {@link Cairn} bean turning
 * diagnostics on (the instance feeds the pages' rings and serves them on loopback), adding a logs
 * pipeline feeding JFR and the environment fingerprint, plus the black box and stall attribution.
 *
 * <p>Spans go where the starter's documented settings say ({@code cairn.export.protocol} and
 * {@code cairn.export.endpoint}, e.g. {@code CAIRN_EXPORT_PROTOCOL=zipkin
 * CAIRN_EXPORT_ENDPOINT=http://127.0.0.1:9411}, or {@code OTEL_EXPORTER_OTLP_ENDPOINT}); when none
 * is set, {@link ServiceMain} defaults them to an NDJSON file per service.
 */
@Configuration(proxyBeanMethods = false)
class StorefrontObservability {
  @Bean(destroyMethod = "close")
  CairnJfr cairnJfr(
      @Value("${demo.out:target/demo}") String out,
      @Value("${spring.application.name}") String role) {
    return CairnJfr.builder()
        .blackBox(Path.of(out, "blackbox-" + role))
        .blackBoxMinInterval(Duration.ofSeconds(5))
        .dumpOnErrorLog(true)
        .stallAttribution(Duration.ofMillis(150))
        .stallLog(true)
        .build();
  }

  /**
   * Added to the starter's {@link Cairn} bean, which builds the span exporter from the documented
   * {@code cairn.export.protocol} / {@code cairn.export.endpoint} (or {@code OTEL_EXPORTER_OTLP_*});
   * the starter also adds the JFR span listener of the {@link CairnJfr} bean above. Ordered last so
   * that its diagnostics settings (a loopback server on a free port) are the ones that stay.
   */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  CairnBuilderCustomizer demoCairn(
      CairnJfr jfr, MeterRegistry meters, @Value("${spring.application.name}") String role) {
    return b -> {
      Resource resource =
          Fingerprint.capture().attachTo(Resource.detect()
              .merge(Resource.builder().serviceName(role).build()));
      Pipeline<LogRecord> logs = Pipeline.<LogRecord>builder("logs").addSink(jfr.logSink()).build();
      b.resource(resource)
          .addPipeline(logs)
          // Diagnostics on: the instance feeds /traces, /spans/slow and /errors and serves them on
          // loopback (port and token file printed at start) until it closes.
          .diagnostics(
              DiagnosticsSettings.builder().enabled(true).port(0).build(),
              d -> d.meterRegistry(meters).contributor(new JfrDiagnosticsContributor(jfr)));
    };
  }
}
