package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.Cairn;
import dev.cairn.diagnostics.DiagnosticsSettings;
import dev.cairn.export.NdjsonExporter;
import dev.cairn.export.otlp.OtlpSpanExporter;
import dev.cairn.export.zipkin.ZipkinSpanExporter;
import dev.cairn.internal.KeyValues;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.pipeline.ExportSettings;
import dev.cairn.resource.Resource;
import java.net.URI;
import dev.cairn.span.Sampler;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@link Cairn} instance: service name, sampler and span exporters from {@code cairn.*}. It is
 * registered as Cairn's global instance (the Logback appender reads it) and closed, flushing within
 * its deadline, when the application context closes. Define your own {@code Cairn} bean to take
 * over.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CairnProperties.class)
public class CairnTracingAutoConfiguration {

  /** Cairn, built from properties. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Cairn cairn(
      CairnProperties properties, ObjectProvider<CairnBuilderCustomizer> customizers, Environment env) {
    Cairn.Builder b = Cairn.builder().shutdownHook(false).sampler(sampler(properties.getTracing()));
    // The exporters adopt this resource (service name and cairn.resource-attributes).
    b.resource(resource(properties));
    addSpanExporter(b, properties.getExport());
    DiagnosticsSettings diagnostics = diagnosticsSettings(env);
    if (diagnostics.enabled()) {
      // The loopback diagnostics server, as without Spring; the Actuator endpoint adds the same.
      b.diagnostics(diagnostics);
    }
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.buildAndRegisterGlobal();
  }

  /** {@code cairn.diagnostics.*} as the core settings read them (relaxed names included). */
  static DiagnosticsSettings diagnosticsSettings(Environment env) {
    Map<String, String> props = new LinkedHashMap<>();
    Binder.get(env)
        .bind("cairn.diagnostics", Bindable.mapOf(String.class, String.class))
        .ifBound(m -> m.forEach((k, v) -> props.put(DiagnosticsSettings.PREFIX + k, v)));
    return DiagnosticsSettings.fromProperties(props);
  }

  /**
   * The detected resource, with {@code cairn.resource-attributes} and {@code cairn.service-name}
   * (which fall back to {@code OTEL_RESOURCE_ATTRIBUTES} and {@code spring.application.name}).
   */
  static Resource resource(CairnProperties properties) {
    Resource.Builder r = Resource.detect().toBuilder();
    String attributes = properties.getResourceAttributes();
    if (attributes != null && !attributes.isBlank()) {
      Map<String, String> parsed = KeyValues.parse(attributes);
      if (parsed == null) {
        // Ignored as OTEL_RESOURCE_ATTRIBUTES is (the property may come from it), but counted.
        SelfCounters.GLOBAL
            .counter(
                "cairn.resource.rejected",
                "Resource attribute settings discarded because they were malformed",
                "settings",
                "reason",
                "malformed_attributes")
            .increment();
        Reporter.warn(
            "resource.cairn.resource-attributes",
            "cairn.resource-attributes is malformed (expected key=value pairs separated by commas, values"
                + " percent-encoded); all of it is ignored",
            null);
      } else {
        parsed.forEach(r::put);
      }
    }
    String service = properties.getServiceName();
    if (service != null && !service.isBlank()) {
      r.serviceName(service.trim());
    }
    return r.build();
  }

  static Sampler sampler(CairnProperties.Tracing t) {
    double ratio = t.getSamplingRatio();
    if (ratio < 0 || ratio > 1 || Double.isNaN(ratio)) {
      throw new IllegalArgumentException("cairn.tracing.sampling-ratio must be within 0.0 and 1.0, was " + ratio);
    }
    if (t.getSamplingRateLimit() < 0) {
      throw new IllegalArgumentException(
          "cairn.tracing.sampling-rate-limit must not be negative, was " + t.getSamplingRateLimit());
    }
    Sampler root = t.getSamplingRateLimit() > 0 ? Sampler.rateLimited(t.getSamplingRateLimit()) : Sampler.traceIdRatio(ratio);
    return Sampler.parentBased(root);
  }

  private static void addSpanExporter(Cairn.Builder b, CairnProperties.Export export) {
    CairnProperties.Export.Signal traces = export.getTraces();
    if (!traces.isEnabled()) {
      return;
    }
    String endpoint = traces.getEndpoint() != null ? traces.getEndpoint() : export.getEndpoint();
    String protocol = (traces.getProtocol() != null ? traces.getProtocol() : export.getProtocol());
    if (endpoint == null || endpoint.isBlank()) {
      return;
    }
    String url = endpoint.trim();
    ExportSettings settings =
        ExportSettings.builder()
            .queueCapacity(export.getQueueSize())
            .maxBatchSize(export.getBatchSize())
            .scheduleDelay(export.getFlushInterval())
            .build();
    boolean perSignal = traces.getEndpoint() != null;
    switch (protocol.trim().toLowerCase(Locale.ROOT)) {
      case "ndjson":
        b.addSpanExporter(
            "stdout".equals(url) ? NdjsonExporter.spansToStdout() : NdjsonExporter.spansToFile(Path.of(url)),
            settings);
        break;
      case "otlp": {
        // A shared endpoint is a base URL (/v1/traces is appended, as OTEL_EXPORTER_OTLP_ENDPOINT);
        // a traces endpoint is used as given (as OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).
        OtlpSpanExporter.Builder otlp = OtlpSpanExporter.builder().timeout(export.getTimeout()).gzip(export.isGzip());
        if (perSignal) {
          otlp.endpoint(URI.create(url));
        } else {
          otlp.baseEndpoint(URI.create(url));
        }
        export.getHeaders().forEach(otlp::header);
        b.addSpanExporter(otlp.build(), settings);
        break;
      }
      case "zipkin": {
        String spans = url.endsWith("/api/v2/spans") ? url : url.replaceAll("/+$", "") + "/api/v2/spans";
        ZipkinSpanExporter.Builder zipkin = ZipkinSpanExporter.builder().endpoint(URI.create(spans)).timeout(export.getTimeout());
        export.getHeaders().forEach(zipkin::header);
        b.addSpanExporter(zipkin.build(), settings);
        break;
      }
      default:
        throw new IllegalArgumentException(
            "cairn.export.protocol: unknown protocol '" + protocol + "'; valid: otlp, zipkin, ndjson");
    }
  }
}
