package dev.cairn.logging;

import dev.cairn.context.Baggage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which MDC keys mirror the current {@link dev.cairn.context.TraceContext}. Immutable.
 *
 * <p>Defaults: {@code traceId} and {@code spanId} (the names Spring Boot and Micrometer Tracing
 * use), {@code correlationId}, and no baggage keys. Install process-wide with {@link
 * CorrelationMdc#install(MdcSettings)}; Cairn only ever touches these keys, never the
 * application's other MDC entries.
 */
public final class MdcSettings {
  private static final MdcSettings DEFAULTS = builder().build();

  private final boolean enabled;
  private final String traceIdKey;
  private final String spanIdKey;
  private final String correlationIdKey;
  private final String[] baggageKeys;
  private final List<String> baggageKeyList;

  private MdcSettings(Builder b) {
    this.enabled = b.enabled;
    this.traceIdKey = b.traceIdKey;
    this.spanIdKey = b.spanIdKey;
    this.correlationIdKey = b.correlationIdKey;
    this.baggageKeys = b.baggageKeys.toArray(new String[0]);
    this.baggageKeyList = List.of(baggageKeys);
  }

  /** The defaults described above. */
  public static MdcSettings defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** False when Cairn must not touch the MDC at all. */
  public boolean enabled() {
    return enabled;
  }

  /** MDC key of the 32-hex-digit trace id. */
  public String traceIdKey() {
    return traceIdKey;
  }

  /** MDC key of the 16-hex-digit span id. */
  public String spanIdKey() {
    return spanIdKey;
  }

  /** MDC key of the correlation id. */
  public String correlationIdKey() {
    return correlationIdKey;
  }

  /** Baggage names copied into the MDC under their own names. */
  public List<String> baggageKeys() {
    return baggageKeyList;
  }

  /** Every MDC key Cairn may write, in a fixed order: trace, span, correlation, then baggage. */
  public String[] allKeys() {
    String[] keys = new String[3 + baggageKeys.length];
    keys[0] = traceIdKey;
    keys[1] = spanIdKey;
    keys[2] = correlationIdKey;
    System.arraycopy(baggageKeys, 0, keys, 3, baggageKeys.length);
    return keys;
  }

  @Override
  public String toString() {
    return "MdcSettings[enabled="
        + enabled
        + ", traceId="
        + traceIdKey
        + ", spanId="
        + spanIdKey
        + ", correlationId="
        + correlationIdKey
        + ", baggage="
        + List.of(baggageKeys)
        + "]";
  }

  /** Builds {@link MdcSettings}; every key must be a non-blank, distinct string. */
  public static final class Builder {
    private boolean enabled = true;
    private String traceIdKey = "traceId";
    private String spanIdKey = "spanId";
    private String correlationIdKey = "correlationId";
    private final List<String> baggageKeys = new ArrayList<>();

    private Builder() {}

    /** Turns the MDC bridge on (default) or off. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** MDC key for the trace id (default {@code traceId}). */
    public Builder traceIdKey(String key) {
      this.traceIdKey = key(key, "traceIdKey");
      return this;
    }

    /** MDC key for the span id (default {@code spanId}). */
    public Builder spanIdKey(String key) {
      this.spanIdKey = key(key, "spanIdKey");
      return this;
    }

    /** MDC key for the correlation id (default {@code correlationId}). */
    public Builder correlationIdKey(String key) {
      this.correlationIdKey = key(key, "correlationIdKey");
      return this;
    }

    /** Adds a baggage name whose value is copied into the MDC under the same name. */
    public Builder addBaggageKey(String name) {
      if (!Baggage.isValidName(name)) {
        throw new IllegalArgumentException("baggage key must be an HTTP token: '" + name + "'");
      }
      baggageKeys.add(name);
      return this;
    }

    /** Builds and checks that no two keys collide. */
    public MdcSettings build() {
      List<String> all = new ArrayList<>(List.of(traceIdKey, spanIdKey, correlationIdKey));
      for (String b : baggageKeys) {
        if (all.contains(b)) {
          throw new IllegalArgumentException("MDC key '" + b + "' is used twice");
        }
        all.add(b);
      }
      if (all.subList(0, 3).stream().distinct().count() != 3) {
        throw new IllegalArgumentException(
            "traceIdKey, spanIdKey and correlationIdKey must differ: " + all.subList(0, 3));
      }
      return new MdcSettings(this);
    }

    private static String key(String key, String what) {
      Objects.requireNonNull(key, what);
      if (key.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return key;
    }
  }
}
