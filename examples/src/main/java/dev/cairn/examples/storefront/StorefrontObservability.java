package dev.cairn.examples.storefront;

import dev.cairn.Cairn;
import dev.cairn.diagnostics.DiagnosticsSettings;
import dev.cairn.diagnostics.Fingerprint;
import dev.cairn.export.NdjsonExporter;
import dev.cairn.export.otlp.OtlpSpanExporter;
import dev.cairn.export.zipkin.ZipkinSpanExporter;
import dev.cairn.jfr.CairnJfr;
import dev.cairn.jfr.JfrDiagnosticsContributor;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.resource.Resource;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a team adds on top of the starter's zero-configuration defaults when it wants the flight
 * recorder and the diagnostics page: its own {@link Cairn} bean (the starter backs off) with the
 * JFR span listener, diagnostics on (the instance feeds the pages' rings and serves them on
 * loopback) and a logs pipeline feeding JFR, plus the black box and stall attribution.
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
        // Diagnostics on: the instance feeds /traces, /spans/slow and /errors and serves them on
        // loopback (port and token file printed at start) until it closes.
        .diagnostics(
            DiagnosticsSettings.builder().enabled(true).port(0).build(),
            d -> d.contributor(new JfrDiagnosticsContributor(jfr)))
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

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
