package dev.cairn.examples.storefront;

import dev.cairn.Cairn;
import dev.cairn.diagnostics.Diagnostics;
import dev.cairn.diagnostics.DiagnosticsServer;
import dev.cairn.diagnostics.DiagnosticsSettings;
import dev.cairn.diagnostics.Fingerprint;
import dev.cairn.diagnostics.SpanRings;
import dev.cairn.jfr.CairnJfr;
import dev.cairn.jfr.JfrDiagnosticsContributor;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.resource.Resource;
import dev.cairn.spring.boot.autoconfigure.CairnBuilderCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a team adds on top of the starter's zero-configuration defaults when it wants the flight
 * recorder and the diagnostics page: a customizer of the starter's {@link Cairn} bean adding the
 * diagnostics rings, a logs pipeline feeding JFR and the environment fingerprint, plus the black
 * box, stall attribution and the loopback diagnostics server.
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
   * the starter also adds the JFR span listener of the {@link CairnJfr} bean above.
   */
  @Bean
  CairnBuilderCustomizer demoCairn(CairnJfr jfr, @Value("${spring.application.name}") String role) {
    return b -> {
      Resource resource =
          Fingerprint.capture().attachTo(Resource.detect()
              .merge(Resource.builder().serviceName(role).build()));
      Pipeline<LogRecord> logs = Pipeline.<LogRecord>builder("logs").addSink(jfr.logSink()).build();
      b.resource(resource).addSpanSink(SpanRings.sink()).addPipeline(logs);
    };
  }

  @Bean(destroyMethod = "close")
  DiagnosticsServer diagnosticsServer(Cairn cairn, CairnJfr jfr, MeterRegistry meters)
      throws IOException {
    Diagnostics diagnostics = Diagnostics.builder()
        .settings(DiagnosticsSettings.builder().enabled(true).port(0).build())
        .cairn(cairn)
        .meterRegistry(meters)
        .contributor(new JfrDiagnosticsContributor(jfr))
        .build();
    return DiagnosticsServer.start(diagnostics);
  }
}
