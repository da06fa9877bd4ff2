package dev.cairn.context;

import dev.cairn.internal.Reporter;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * W3C Baggage: immutable, ordered name → value pairs (each with optional property text such as
 * {@code ;ttl=60}) that travel with the request across services.
 *
 * <p>Limits follow W3C Baggage: at most {@value #MAX_ENTRIES} entries, names are HTTP tokens; the
 * 8192-byte header limit is applied by the propagator when the baggage is written. A change that
 * would break a limit is ignored (the method returns {@code this}) and reported once.
 */
public final class Baggage {
  /** W3C Baggage: a platform must propagate at least 64 list-members; Cairn keeps at most 64. */
  public static final int MAX_ENTRIES = 64;

  /** W3C Baggage: at most 8192 bytes in the header, the limit every propagator enforces. */
  public static final int MAX_HEADER_BYTES = 8192;

  private static final String[] NONE = new String[0];
  private static final Baggage EMPTY = new Baggage(NONE, NONE, NONE);

  static {
    dev.cairn.internal.ContextInternals.register(Baggage::ofValidated);
  }

  private final String[] names;
  private final String[] values;
  private final String[] properties;

  private Baggage(String[] names, String[] values, String[] properties) {
    this.names = names;
    this.values = values;
    this.properties = properties;
  }

  static Baggage ofValidated(String[] names, String[] values, String[] properties) {
    return names.length == 0 ? EMPTY : new Baggage(names, values, properties);
  }

  /** Baggage with no entries. */
  public static Baggage empty() {
    return EMPTY;
  }

  /** Number of entries. */
  public int size() {
    return names.length;
  }

  /** True when there are no entries. */
  public boolean isEmpty() {
    return names.length == 0;
  }

  /** The value of {@code name}, if present. */
  public Optional<String> get(String name) {
    int i = indexOf(name);
    return i < 0 ? Optional.empty() : Optional.of(values[i]);
  }

  /** The value of {@code name}, or {@code defaultValue} when absent. Allocation-free. */
  public String getOrDefault(String name, String defaultValue) {
    int i = indexOf(name);
    return i < 0 ? defaultValue : values[i];
  }

  /** Property text of {@code name} as received (e.g. {@code ttl=60;secret}), or empty. */
  public String properties(String name) {
    int i = indexOf(name);
    return i < 0 ? "" : properties[i];
  }

  /** Name of entry {@code i}, in insertion order. */
  public String nameAt(int i) {
    return names[i];
  }

  /** Value of entry {@code i}. */
  public String valueAt(int i) {
    return values[i];
  }

  /** Property text of entry {@code i} (empty when none). */
  public String propertiesAt(int i) {
    return properties[i];
  }

  /** A copy with {@code name = value}; replaces an existing entry in place. */
  public Baggage with(String name, String value) {
    return with(name, value, "");
  }

  /**
   * A copy with {@code name = value} and the given property text (W3C {@code property} list
   * without the leading {@code ;}, e.g. {@code ttl=60}).
   */
  public Baggage with(String name, String value, String propertyText) {
    if (!isValidName(name) || value == null || propertyText == null) {
      Reporter.warn("baggage.invalid", "Baggage name must be an HTTP token and value non-null; ignored: "
          + safe(name), null);
      return this;
    }
    int i = indexOf(name);
    if (i >= 0) {
      String[] v = values.clone();
      String[] p = properties.clone();
      v[i] = value;
      p[i] = propertyText;
      return new Baggage(names, v, p);
    }
    if (names.length >= MAX_ENTRIES) {
      Reporter.warn("baggage.full", "Baggage already holds " + MAX_ENTRIES + " entries; ignored " + safe(name), null);
      return this;
    }
    String[] n = Arrays.copyOf(names, names.length + 1);
    String[] v = Arrays.copyOf(values, values.length + 1);
    String[] p = Arrays.copyOf(properties, properties.length + 1);
    n[names.length] = name;
    v[names.length] = value;
    p[names.length] = propertyText;
    return new Baggage(n, v, p);
  }

  /** A copy without {@code name}. */
  public Baggage without(String name) {
    int i = indexOf(name);
    if (i < 0) {
      return this;
    }
    if (names.length == 1) {
      return EMPTY;
    }
    return new Baggage(remove(names, i), remove(values, i), remove(properties, i));
  }

  /** Entries as an unmodifiable ordered name → value map. */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], values[i]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** True when {@code name} is a non-empty RFC 7230 token (the W3C Baggage key grammar). */
  public static boolean isValidName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTchar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** RFC 7230 tchar. */
  public static boolean isTchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    switch (c) {
      case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
      case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
      default:
        return false;
    }
  }

  private int indexOf(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String[] remove(String[] a, int i) {
    String[] out = new String[a.length - 1];
    System.arraycopy(a, 0, out, 0, i);
    System.arraycopy(a, i + 1, out, i, a.length - i - 1);
    return out;
  }

  private static String safe(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Baggage)) {
      return false;
    }
    Baggage b = (Baggage) o;
    return Arrays.equals(names, b.names)
        && Arrays.equals(values, b.values)
        && Arrays.equals(properties, b.properties);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Baggage" + asMap();
  }
}
