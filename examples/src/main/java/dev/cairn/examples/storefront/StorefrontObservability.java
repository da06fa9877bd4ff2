package dev.cairn.examples.storefront;

import dev.cairn.Cairn;
import dev.cairn.diagnostics.Diagnostics;
import dev.cairn.diagnostics.DiagnosticsServer;
import dev.cairn.diagnostics.DiagnosticsSettings;
import dev.cairn.diagnostics.Fingerprint;
import dev.cairn.diagnostics.SpanRings;
import dev.cairn.export.NdjsonExporter;
import dev.cairn.export.otlp.OtlpSpanExporter;
import dev.cairn.export.zipkin.ZipkinSpanExporter;
import dev.cairn.jfr.CairnJfr;
import dev.cairn.jfr.JfrDiagnosticsContributor;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.resource.Resource;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a team adds on top of the starter's zero-configuration defaults when it wants the flight
 * recorder and the diagnostics page: its own {@link Cairn} bean (the starter backs off) with the
 * JFR span listener, the diagnostics rings and a logs pipeline feeding JFR, plus the black box,
 * stall attribution and the loopback diagnostics server.
 *
 * <p>Spans go to {@code OTEL_EXPORTER_OTLP_ENDPOINT} (OTLP/HTTP JSON) or {@code
 * CAIRN_EXPORT_ZIPKIN_ENDPOINT} (Zipkin v2) when set, else to an NDJSON file per service.
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

  @Bean(destroyMethod = "close")
  Cairn cairn(
      CairnJfr jfr,
      @Value("${demo.out:target/demo}") String out,
      @Value("${spring.application.name}") String role) {
    Resource resource =
        Fingerprint.capture().attachTo(Resource.detect()
            .merge(Resource.builder().serviceName(role).build()));
    Pipeline<LogRecord> logs = Pipeline.<LogRecord>builder("logs").addSink(jfr.logSink()).build();
    Cairn.Builder b = Cairn.builder()
        .resource(resource)
        .shutdownHook(false)
        .addSpanListener(jfr.spanListener())
        .addSpanSink(SpanRings.sink())
        .addPipeline(logs);
    String otlp = System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT");
    String otlpTraces = System.getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    String zipkin = System.getenv("CAIRN_EXPORT_ZIPKIN_ENDPOINT");
    if (notBlank(otlp) || notBlank(otlpTraces)) {
      b.addSpanExporter(OtlpSpanExporter.fromEnvironment().resource(resource).build());
    } else if (notBlank(zipkin)) {
      b.addSpanExporter(ZipkinSpanExporter.builder().endpoint(zipkin.trim()).resource(resource).build());
    } else {
      b.addSpanExporter(NdjsonExporter.spansToFile(Path.of(out, "spans-" + role + ".ndjson")));
    }
    return b.buildAndRegisterGlobal();
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

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
