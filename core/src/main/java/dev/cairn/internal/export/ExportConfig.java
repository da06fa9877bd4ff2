package dev.cairn.internal.export;

import dev.cairn.internal.KeyValues;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads exporter settings from system properties ({@code cairn.*}) and environment variables
 * ({@code OTEL_*}), the first non-blank source winning, and validates them with messages that
 * name the setting.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class ExportConfig {
  private final Map<String, String> properties;
  private final Map<String, String> env;

  public ExportConfig(Map<String, String> properties, Map<String, String> env) {
    this.properties = Map.copyOf(properties);
    this.env = Map.copyOf(env);
  }

  /** The real system properties and environment. */
  public static ExportConfig system() {
    Map<String, String> props = new HashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      props.put(name, System.getProperty(name));
    }
    return new ExportConfig(props, System.getenv());
  }

  /** The first non-blank value among the named sources ({@code cairn.*} = property, else env). */
  public String get(String... names) {
    for (String name : names) {
      String v = name.startsWith("cairn.") || name.startsWith("otel.")
          ? properties.get(name)
          : env.get(name);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }

  /** Which of {@code names} supplied the value (for messages). */
  public String source(String... names) {
    for (String name : names) {
      String v = name.startsWith("cairn.") || name.startsWith("otel.")
          ? properties.get(name)
          : env.get(name);
      if (v != null && !v.isBlank()) {
        return name;
      }
    }
    return names[0];
  }

  public URI uri(String value, String source) {
    try {
      URI u = URI.create(value);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if ((!scheme.equals("http") && !scheme.equals("https")) || u.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return u;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          source + " must be an http:// or https:// URL, got '" + value + "'", e);
    }
  }

  /** Milliseconds as OTEL_*_TIMEOUT gives them, or a Duration string ({@code 5s}, {@code PT5S}). */
  public static Duration duration(String value, String source) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (v.startsWith("pt")) {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      } else {
        d = Duration.ofMillis(Long.parseLong(v));
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("not positive");
      }
      return d;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          source + " must be a positive duration in milliseconds (or 10s, PT10S), got '" + value + "'",
          e);
    }
  }

  /** {@code gzip} or {@code none}. */
  public static boolean gzip(String value, String source) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("gzip")) {
      return true;
    }
    if (v.equals("none")) {
      return false;
    }
    throw new IllegalArgumentException(source + " must be 'gzip' or 'none', got '" + value + "'");
  }

  /** {@code key=value,...} with percent-encoded values (OTEL_EXPORTER_OTLP_HEADERS). */
  public static Map<String, String> headers(String value, String source) {
    Map<String, String> h = KeyValues.parse(value);
    if (h == null) {
      throw new IllegalArgumentException(
          source
              + " is malformed: expected key=value pairs separated by commas, values"
              + " percent-encoded");
    }
    return h;
  }

  /** {@code base} with {@code path} appended, keeping one slash between them. */
  public static URI appendPath(URI base, String path) {
    String s = base.toString();
    int q = s.indexOf('?');
    String query = q < 0 ? "" : s.substring(q);
    String head = q < 0 ? s : s.substring(0, q);
    if (head.endsWith("/")) {
      head = head.substring(0, head.length() - 1);
    }
    return URI.create(head + path + query);
  }
}
