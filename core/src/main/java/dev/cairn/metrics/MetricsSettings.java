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
 *   <tr><td>{@code commonTags}</td><td>none; {@link CairnMetrics} adds service/instance/namespace</td></tr>
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

  private MetricsSettings(Builder b) {
    this.guardEnabled = b.guardEnabled;
    this.maxTagSetsPerName = b.maxTagSetsPerName;
    this.maxMeters = b.maxMeters;
    this.jvmMetrics = b.jvmMetrics;
    this.systemMetrics = b.systemMetrics;
    this.prometheus = b.prometheus;
    this.commonTags = Map.copyOf(b.commonTags);
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

  /** Builds {@link MetricsSettings}. */
  public static final class Builder {
    private boolean guardEnabled = true;
    private int maxTagSetsPerName = CardinalityGuard.DEFAULT_MAX_PER_NAME;
    private int maxMeters = CardinalityGuard.DEFAULT_MAX_TOTAL;
    private boolean jvmMetrics;
    private boolean systemMetrics;
    private boolean prometheus = true;
    private final Map<String, String> commonTags = new LinkedHashMap<>();

    private Builder() {}

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
