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

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    Map<String, Object> fallbacks = new HashMap<>();
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
