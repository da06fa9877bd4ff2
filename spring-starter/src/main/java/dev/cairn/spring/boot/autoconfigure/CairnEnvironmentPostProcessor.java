package dev.cairn.spring.boot.autoconfigure;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps the standard OpenTelemetry environment variables onto Cairn's properties, as fallbacks
 * with the lowest precedence: anything set as {@code cairn.*} (in files, system properties or
 * {@code CAIRN_*} variables) wins. The service name falls back to {@code spring.application.name}.
 */
public final class CairnEnvironmentPostProcessor implements EnvironmentPostProcessor {
  static final String SOURCE_NAME = "cairnOpenTelemetryFallbacks";
  static final String LOGGING_SOURCE_NAME = "cairnStructuredLogging";
  static final java.util.Set<String> LOG_FORMATS = java.util.Set.of("cairn", "ecs", "logstash", "gcp", "gelf");

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    Map<String, Object> fallbacks = new HashMap<>();
    Map<String, Object> overrides = new HashMap<>();
    String service = firstNonBlank(env.getProperty("OTEL_SERVICE_NAME"), env.getProperty("spring.application.name"));
    if (service != null) {
      fallbacks.put("cairn.service-name", service);
    }
    String endpoint =
        firstNonBlank(
            env.getProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
            env.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT"));
    if (endpoint != null) {
      fallbacks.put("cairn.export.endpoint", endpoint);
      fallbacks.put("cairn.export.protocol", "otlp");
    }
    String resource = env.getProperty("OTEL_RESOURCE_ATTRIBUTES");
    if (resource != null && !resource.isBlank()) {
      fallbacks.put("cairn.resource-attributes", resource);
    }
    if (!"false".equalsIgnoreCase(env.getProperty("cairn.enabled", "true").trim())
        && !"false".equalsIgnoreCase(env.getProperty("cairn.mdc.enabled", "true").trim())
        && env.getProperty("logging.pattern.correlation") == null) {
      // Boot's plain console and file patterns print ${LOG_CORRELATION_PATTERN}, which Boot only
      // fills when Micrometer Tracing is present: Cairn's ids belong in those lines too, read by
      // Boot's own converter from the MDC keys Cairn writes.
      fallbacks.put(
          "logging.pattern.correlation",
          "%correlationId{"
              + env.getProperty("cairn.mdc.trace-id-key", "traceId").trim() + "(32),"
              + env.getProperty("cairn.mdc.span-id-key", "spanId").trim() + "(16)}");
    }
    String logFormat = env.getProperty("cairn.logging.format");
    if (logFormat != null && !logFormat.isBlank()) {
      String f = logFormat.trim().toLowerCase(java.util.Locale.ROOT);
      if (!LOG_FORMATS.contains(f)) {
        throw new IllegalArgumentException(
            "cairn.logging.format: unknown format '" + logFormat.trim() + "'; valid: cairn, ecs, logstash, gcp, gelf");
      }
      // Boot accepts a formatter class name; Cairn's short value selects Cairn's formatter unless
      // the application chose its own.
      for (String target : new String[] {"logging.structured.format.console", "logging.structured.format.file"}) {
        if (env.getProperty(target) == null) {
          overrides.put(target, CairnLogFormatter.class.getName());
        }
      }
    }
    if (!overrides.isEmpty()) {
      env.getPropertySources().addFirst(new MapPropertySource(LOGGING_SOURCE_NAME, overrides));
    }
    if (!fallbacks.isEmpty()) {
      env.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, fallbacks));
    }
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a.trim();
    }
    return b != null && !b.isBlank() ? b.trim() : null;
  }
}
