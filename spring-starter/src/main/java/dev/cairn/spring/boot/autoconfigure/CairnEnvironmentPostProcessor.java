package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.internal.export.ExportConfig;
import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps the standard OpenTelemetry environment variables onto Cairn's properties, as fallbacks
 * with the lowest precedence: anything set as {@code cairn.*} (in files, system properties or
 * {@code CAIRN_*} variables) wins. The service name falls back to {@code spring.application.name}.
 *
 * <p>It also chooses the console log format when the application did not: Cairn's JSON lines on
 * a cloud platform Boot detects (Kubernetes, Cloud Foundry, ...), Boot's plain text elsewhere
 * (see {@link #cloudConsoleDefault}).
 */
public final class CairnEnvironmentPostProcessor implements EnvironmentPostProcessor {
  static final String SOURCE_NAME = "cairnOpenTelemetryFallbacks";
  static final String LOGGING_SOURCE_NAME = "cairnStructuredLogging";
  static final java.util.Set<String> LOG_FORMATS = java.util.Set.of("cairn", "ecs", "logstash", "gcp", "gelf");
  /** {@code cairn.logging.format=plain}: Boot's own text lines, also on a cloud platform. */
  static final String PLAIN = "plain";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    Map<String, Object> fallbacks = new HashMap<>();
    Map<String, Object> overrides = new HashMap<>();
    String service = firstNonBlank(env.getProperty("OTEL_SERVICE_NAME"), env.getProperty("spring.application.name"));
    if (service != null) {
      fallbacks.put("cairn.service-name", service);
    }
    String endpoint = firstNonBlank(env.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT"), null);
    if (endpoint != null) {
      fallbacks.put("cairn.export.endpoint", endpoint);
      fallbacks.put("cairn.export.protocol", "otlp");
    }
    String tracesEndpoint = firstNonBlank(env.getProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), null);
    if (tracesEndpoint != null && env.getProperty("cairn.export.endpoint") == null) {
      // A full URL, used as given (the shared endpoint is a base URL that gets /v1/traces).
      fallbacks.put("cairn.export.traces.endpoint", tracesEndpoint);
      fallbacks.put("cairn.export.traces.protocol", "otlp");
    }
    otelLogsEndpoint(env).ifPresent(logs -> {
      // OTEL_EXPORTER_OTLP_ENDPOINT means every signal (the OpenTelemetry SDKs export logs there
      // too unless OTEL_LOGS_EXPORTER says otherwise); cairn.export.endpoint means spans only.
      fallbacks.put("cairn.export.logs.endpoint", logs);
      fallbacks.put("cairn.export.logs.protocol", "otlp");
    });
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
    if (logFormat == null || logFormat.isBlank()) {
      if (cloudConsoleDefault(env) != null) {
        // Lowest precedence, and only for the console: Boot's own switch, set anywhere, wins.
        fallbacks.put("logging.structured.format.console", CairnLogFormatter.class.getName());
      }
    } else {
      String f = logFormat.trim().toLowerCase(java.util.Locale.ROOT);
      if (!LOG_FORMATS.contains(f) && !PLAIN.equals(f)) {
        throw new IllegalArgumentException(
            "cairn.logging.format: unknown format '" + logFormat.trim() + "'; valid: cairn, ecs, logstash, gcp, gelf, plain");
      }
      // Boot accepts a formatter class name; Cairn's short value selects Cairn's formatter unless
      // the application chose its own. "plain" leaves Boot's text lines as they are.
      for (String target : new String[] {"logging.structured.format.console", "logging.structured.format.file"}) {
        if (!PLAIN.equals(f) && env.getProperty(target) == null) {
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

  /**
   * The cloud platform on which the console gets Cairn's JSON lines by default, or null for Boot's
   * plain text: only when nothing chose a format ({@code cairn.logging.format} and Boot's {@code
   * logging.structured.format.console} unset, Cairn enabled) and Boot detects a platform ({@link
   * CloudPlatform#getActive}: Kubernetes from {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}, Cloud
   * Foundry, Heroku, SAP, Nomad, Azure App Service, AWS ECS, or {@code spring.main.cloud-platform}).
   *
   * <p>There a log agent reads the container's stdout and a line is a record, so a stack trace
   * must not become forty records and the ids must be fields. A missing console is no sign of a
   * container: {@code System.console()} is also null under {@code mvn spring-boot:run}, Gradle's
   * {@code bootRun}, an IDE's run window, a test and {@code docker run} without {@code -t}, where a
   * developer reads the lines, so it is not consulted.
   */
  static CloudPlatform cloudConsoleDefault(Environment env) {
    String cairnFormat = env.getProperty("cairn.logging.format");
    if ((cairnFormat != null && !cairnFormat.isBlank())
        || env.getProperty("logging.structured.format.console") != null
        || "false".equalsIgnoreCase(env.getProperty("cairn.enabled", "true").trim())) {
      return null;
    }
    CloudPlatform platform = CloudPlatform.getActive(env);
    return platform == CloudPlatform.NONE ? null : platform;
  }

  /**
   * Where the OpenTelemetry variables send logs: {@code OTEL_EXPORTER_OTLP_LOGS_ENDPOINT} as given,
   * else {@code OTEL_EXPORTER_OTLP_ENDPOINT} with {@code /v1/logs} appended; nothing when {@code
   * OTEL_LOGS_EXPORTER} does not name {@code otlp} (for example {@code none}).
   */
  static Optional<String> otelLogsEndpoint(Environment env) {
    String exporters = env.getProperty("OTEL_LOGS_EXPORTER");
    if (exporters != null && !exporters.isBlank()
        && Arrays.stream(exporters.split(",")).map(String::trim).noneMatch("otlp"::equalsIgnoreCase)) {
      return Optional.empty();
    }
    String logs = env.getProperty("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT");
    if (logs != null && !logs.isBlank()) {
      return Optional.of(logs.trim());
    }
    String base = env.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (base == null || base.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ExportConfig.appendPath(URI.create(base.trim()), "/v1/logs").toString());
    } catch (IllegalArgumentException e) {
      // Not a URI: the logs exporter names it when it is built, as the spans one does.
      return Optional.of(base.trim().replaceAll("/+$", "") + "/v1/logs");
    }
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a.trim();
    }
    return b != null && !b.isBlank() ? b.trim() : null;
  }
}
