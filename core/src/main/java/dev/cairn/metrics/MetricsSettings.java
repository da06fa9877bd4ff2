package dev.cairn.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link CairnMetrics} builds its registry. Immutable; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code cardinalityGuard}</td><td>on, 1,000 tag sets per name, 10,000 meters</td></tr>
 *   <tr><td>{@code jvmMetrics}</td><td>off (Micrometer's JVM memory, GC, threads, classes binders)</td></tr>
 *   <tr><td>{@code systemMetrics}</td><td>off (processor, uptime, file descriptors)</td></tr>
 *   <tr><td>{@code prometheus}</td><td>on when {@code micrometer-registry-prometheus} is present</td></tr>
 *   <tr><td>{@code commonTags}</td><td>none</td></tr>
 *   <tr><td>{@code otlpEndpoint}</td><td>none (no OTLP metrics export)</td></tr>
 *   <tr><td>{@code otlpStep}</td><td>1 minute</td></tr>
 * </table>
 */
public final class MetricsSettings {
  private final boolean guardEnabled;
  private final int maxTagSetsPerName;
  private final int maxMeters;
  private final boolean jvmMetrics;
  private final boolean systemMetrics;
  private final boolean prometheus;
  private final Map<String, String> commonTags;
  private final String otlpEndpoint;
  private final Map<String, String> otlpHeaders;
  private final java.time.Duration otlpStep;

  private MetricsSettings(Builder b) {
    this.guardEnabled = b.guardEnabled;
    this.maxTagSetsPerName = b.maxTagSetsPerName;
    this.maxMeters = b.maxMeters;
    this.jvmMetrics = b.jvmMetrics;
    this.systemMetrics = b.systemMetrics;
    this.prometheus = b.prometheus;
    this.commonTags = Map.copyOf(b.commonTags);
    this.otlpEndpoint = b.otlpEndpoint;
    this.otlpHeaders = Map.copyOf(b.otlpHeaders);
    this.otlpStep = b.otlpStep;
  }

  /** Defaults as in the table above. */
  public static MetricsSettings defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** True when the cardinality guard is installed. */
  public boolean guardEnabled() {
    return guardEnabled;
  }

  /** Distinct tag sets allowed per meter name. */
  public int maxTagSetsPerName() {
    return maxTagSetsPerName;
  }

  /** Meters allowed in all. */
  public int maxMeters() {
    return maxMeters;
  }

  /** True when Micrometer's JVM binders are bound. */
  public boolean jvmMetrics() {
    return jvmMetrics;
  }

  /** True when Micrometer's system binders are bound. */
  public boolean systemMetrics() {
    return systemMetrics;
  }

  /** True when a Prometheus registry is added (if the library is present). */
  public boolean prometheus() {
    return prometheus;
  }

  /** Tags added to every meter. */
  public Map<String, String> commonTags() {
    return commonTags;
  }

  /** The OTLP/HTTP metrics URL (ending in {@code /v1/metrics}), or empty when not exporting. */
  public java.util.Optional<String> otlpEndpoint() {
    return java.util.Optional.ofNullable(otlpEndpoint);
  }

  /** Request headers of OTLP metrics export (for example authorization). */
  public Map<String, String> otlpHeaders() {
    return otlpHeaders;
  }

  /** How often OTLP metrics are pushed. */
  public java.time.Duration otlpStep() {
    return otlpStep;
  }

  /** Builds {@link MetricsSettings}. */
  public static final class Builder {
    private boolean guardEnabled = true;
    private int maxTagSetsPerName = CardinalityGuard.DEFAULT_MAX_PER_NAME;
    private int maxMeters = CardinalityGuard.DEFAULT_MAX_TOTAL;
    private boolean jvmMetrics;
    private boolean systemMetrics;
    private boolean prometheus = true;
    private final Map<String, String> commonTags = new LinkedHashMap<>();
    private String otlpEndpoint;
    private final Map<String, String> otlpHeaders = new LinkedHashMap<>();
    private java.time.Duration otlpStep = java.time.Duration.ofMinutes(1);

    private Builder() {}

    /**
     * Pushes metrics over OTLP/HTTP (protobuf) to this endpoint; a base URL such as {@code
     * http://collector:4318} gets {@code /v1/metrics} appended. Needs {@code
     * micrometer-registry-otlp} on the classpath.
     */
    public Builder otlpEndpoint(String endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      java.net.URI uri;
      try {
        uri = java.net.URI.create(endpoint.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("OTLP metrics endpoint is not a URI: '" + endpoint + "'", e);
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException(
            "OTLP metrics endpoint must be http or https: '" + endpoint + "'");
      }
      String s = uri.toString();
      this.otlpEndpoint = s.endsWith("/v1/metrics") ? s : (s.endsWith("/") ? s + "v1/metrics" : s + "/v1/metrics");
      return this;
    }

    /** Adds a request header to OTLP metrics export. */
    public Builder otlpHeader(String name, String value) {
      otlpHeaders.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Push interval of OTLP metrics (default one minute). */
    public Builder otlpStep(java.time.Duration step) {
      if (step == null || step.isNegative() || step.isZero()) {
        throw new IllegalArgumentException("OTLP step must be positive, was " + step);
      }
      this.otlpStep = step;
      return this;
    }

    /** Turns the cardinality guard off (not recommended) or on (default). */
    public Builder cardinalityGuard(boolean enabled) {
      this.guardEnabled = enabled;
      return this;
    }

    /** Caps of the cardinality guard. */
    public Builder cardinalityLimits(int maxTagSetsPerName, int maxMeters) {
      if (maxTagSetsPerName < 1 || maxMeters < 1) {
        throw new IllegalArgumentException(
            "cardinality limits must be at least 1, were " + maxTagSetsPerName + " and " + maxMeters);
      }
      this.maxTagSetsPerName = maxTagSetsPerName;
      this.maxMeters = maxMeters;
      return this;
    }

    /** Binds Micrometer's JVM binders (memory, GC, threads, class loading). */
    public Builder jvmMetrics(boolean on) {
      this.jvmMetrics = on;
      return this;
    }

    /** Binds Micrometer's system binders (processor, uptime, file descriptors). */
    public Builder systemMetrics(boolean on) {
      this.systemMetrics = on;
      return this;
    }

    /** Adds a Prometheus registry when {@code micrometer-registry-prometheus} is present. */
    public Builder prometheus(boolean on) {
      this.prometheus = on;
      return this;
    }

    /** Adds a tag to every meter. */
    public Builder commonTag(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (key.isBlank()) {
        throw new IllegalArgumentException("common tag key must not be blank");
      }
      commonTags.put(key, value);
      return this;
    }

    /** Builds the settings. */
    public MetricsSettings build() {
      return new MetricsSettings(this);
    }
  }
}
