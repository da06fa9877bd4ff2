package dev.cairn.span;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable, ordered set of typed attributes (key → string, long, double, boolean or an array of
 * them), as carried by spans, events and links. Keys are unique; setting a key twice keeps the last
 * value in the first position.
 *
 * <p>Encoders read it by index, which allocates nothing:
 *
 * <pre>{@code
 * for (int i = 0; i < attributes.size(); i++) {
 *   write(attributes.key(i), attributes.type(i), attributes.value(i));
 * }
 * }</pre>
 */
public final class Attributes {
  private static final Attributes EMPTY = new Attributes(new Object[0], 0);

  // Alternating key, value; the value's class gives its type.
  private final Object[] kv;
  private final int size;

  Attributes(Object[] kv, int size) {
    this.kv = kv;
    this.size = size;
  }

  /** No attributes. */
  public static Attributes empty() {
    return EMPTY;
  }

  /** One string attribute. */
  public static Attributes of(String key, String value) {
    return builder().put(key, value).build();
  }

  /** Two string attributes. */
  public static Attributes of(String key1, String value1, String key2, String value2) {
    return builder().put(key1, value1).put(key2, value2).build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with these attributes. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.putAll(this);
    return b;
  }

  /** Number of attributes. */
  public int size() {
    return size;
  }

  /** True when there are none. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** The key at {@code index} (0 ≤ index &lt; size). */
  public String key(int index) {
    Objects.checkIndex(index, size);
    return (String) kv[2 * index];
  }

  /** The type of the value at {@code index}. */
  public AttributeType type(int index) {
    Objects.checkIndex(index, size);
    return AttrList.typeOf(kv[2 * index + 1]);
  }

  /**
   * The value at {@code index}: a {@link String}, {@link Long}, {@link Double}, {@link Boolean}, or
   * an unmodifiable {@code List} of one of them, as {@link #type(int)} says.
   */
  public Object value(int index) {
    Objects.checkIndex(index, size);
    return kv[2 * index + 1];
  }

  /** The value of {@code key}, if present. */
  public Optional<Object> get(String key) {
    for (int i = 0; i < size; i++) {
      if (kv[2 * i].equals(key)) {
        return Optional.of(kv[2 * i + 1]);
      }
    }
    return Optional.empty();
  }

  /** An unmodifiable, insertion-ordered map view (a copy; for tests and diagnostics). */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      m.put((String) kv[2 * i], kv[2 * i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof Attributes && ((Attributes) o).asMap().equals(asMap()));
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    return asMap().toString();
  }

  /**
   * Builds {@link Attributes}. A {@code null} key or value is ignored (OpenTelemetry's rule); a
   * {@code null} element of a string array becomes the empty string.
   */
  public static final class Builder {
    private final AttrList list = new AttrList();

    private Builder() {}

    private Builder add(String key, Object value, AttributeType type) {
      if (key != null && value != null) {
        list.put(key, value, type, Integer.MAX_VALUE);
      }
      return this;
    }

    /** A string attribute. */
    public Builder put(String key, String value) {
      return add(key, value, AttributeType.STRING);
    }

    /** A long attribute. */
    public Builder put(String key, long value) {
      return add(key, value, AttributeType.LONG);
    }

    /** A double attribute. */
    public Builder put(String key, double value) {
      return add(key, value, AttributeType.DOUBLE);
    }

    /** A boolean attribute. */
    public Builder put(String key, boolean value) {
      return add(key, value, AttributeType.BOOLEAN);
    }

    /** A string-array attribute (copied). */
    public Builder put(String key, String[] values) {
      return values == null ? this : add(key, AttrList.strings(values), AttributeType.STRING_ARRAY);
    }

    /** A long-array attribute (copied). */
    public Builder put(String key, long[] values) {
      return values == null ? this : add(key, AttrList.longs(values), AttributeType.LONG_ARRAY);
    }

    /** A double-array attribute (copied). */
    public Builder put(String key, double[] values) {
      return values == null ? this : add(key, AttrList.doubles(values), AttributeType.DOUBLE_ARRAY);
    }

    /** A boolean-array attribute (copied). */
    public Builder put(String key, boolean[] values) {
      return values == null
          ? this
          : add(key, AttrList.booleans(values), AttributeType.BOOLEAN_ARRAY);
    }

    /** Every attribute of {@code other}. */
    public Builder putAll(Attributes other) {
      Objects.requireNonNull(other, "other");
      for (int i = 0; i < other.size; i++) {
        list.put(other.key(i), other.value(i), other.type(i), Integer.MAX_VALUE);
      }
      return this;
    }

    /** The attributes. The builder may be reused; later puts do not change what was built. */
    public Attributes build() {
      return list.copy();
    }
  }
}
