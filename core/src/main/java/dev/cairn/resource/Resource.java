package dev.cairn.resource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The entity that produces telemetry — a service instance in a process on a host — described by
 * OpenTelemetry resource attributes ({@code service.name}, {@code host.name}, {@code process.pid},
 * ...). Every exporter attaches it to what it sends.
 *
 * <p>Immutable. Attribute values are {@link String}, {@link Long}, {@link Double} or {@link
 * Boolean}; iteration follows insertion order. {@code service.name} is always present: {@link
 * #serviceName()} falls back to {@value #DEFAULT_SERVICE_NAME}, as OpenTelemetry SDKs do.
 *
 * <pre>{@code
 * Resource r = Resource.detect().merge(Resource.builder().serviceName("checkout").build());
 * }</pre>
 */
public final class Resource {
  /** The service name used when none is configured anywhere. */
  public static final String DEFAULT_SERVICE_NAME = "unknown_service:java";

  /** Attribute key of the logical service name. */
  public static final String SERVICE_NAME = "service.name";

  private static final Resource EMPTY = new Resource(Collections.emptyMap());

  private final Map<String, Object> attributes;

  private Resource(Map<String, Object> attributes) {
    this.attributes = attributes;
  }

  /** A resource without attributes. */
  public static Resource empty() {
    return EMPTY;
  }

  /** A builder for an explicitly configured resource. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Detects the resource of this process from the environment, system properties and local files,
   * without any network call (see {@link ResourceDetector}).
   */
  public static Resource detect() {
    return ResourceDetector.builder().build().detect();
  }

  /** All attributes, unmodifiable, in insertion order. */
  public Map<String, Object> attributes() {
    return attributes;
  }

  /** The value of {@code key}, if present. */
  public Optional<Object> get(String key) {
    return Optional.ofNullable(attributes.get(key));
  }

  /** The value of {@code key} when it is a string. */
  public Optional<String> getString(String key) {
    Object v = attributes.get(key);
    return v instanceof String ? Optional.of((String) v) : Optional.empty();
  }

  /** {@code service.name}, or {@value #DEFAULT_SERVICE_NAME} when absent. */
  public String serviceName() {
    return getString(SERVICE_NAME).orElse(DEFAULT_SERVICE_NAME);
  }

  /** A resource with this one's attributes overridden by {@code other}'s. */
  public Resource merge(Resource other) {
    if (other.attributes.isEmpty()) {
      return this;
    }
    if (attributes.isEmpty()) {
      return other;
    }
    return toBuilder().putAll(other).build();
  }

  /** A builder starting from this resource's attributes. */
  public Builder toBuilder() {
    return new Builder().putAll(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resource && ((Resource) o).attributes.equals(attributes);
  }

  @Override
  public int hashCode() {
    return attributes.hashCode();
  }

  @Override
  public String toString() {
    return "Resource" + attributes;
  }

  /** Builds a {@link Resource}. Later puts of the same key win. */
  public static final class Builder {
    private final LinkedHashMap<String, Object> attributes = new LinkedHashMap<>();

    private Builder() {}

    public Builder serviceName(String serviceName) {
      return put(SERVICE_NAME, serviceName);
    }

    public Builder put(String key, String value) {
      return putObject(key, Objects.requireNonNull(value, "value"));
    }

    public Builder put(String key, long value) {
      return putObject(key, value);
    }

    public Builder put(String key, double value) {
      return putObject(key, value);
    }

    public Builder put(String key, boolean value) {
      return putObject(key, value);
    }

    /** Copies every attribute of {@code resource}. */
    public Builder putAll(Resource resource) {
      attributes.putAll(resource.attributes);
      return this;
    }

    public Builder remove(String key) {
      attributes.remove(key);
      return this;
    }

    public Resource build() {
      if (attributes.isEmpty()) {
        return EMPTY;
      }
      return new Resource(Collections.unmodifiableMap(new LinkedHashMap<>(attributes)));
    }

    private Builder putObject(String key, Object value) {
      Objects.requireNonNull(key, "key");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("resource attribute key must not be empty");
      }
      attributes.put(key, value);
      return this;
    }
  }
}
