package dev.cairn.diagnostics.internal;

import dev.cairn.internal.json.JsonWriter;
import java.util.Map;

/**
 * Cairn's {@link JsonWriter} with a byte budget, for diagnostics documents whose size depends on
 * the host (thread dumps, meters, properties). Every write checks the budget; once it is exceeded
 * the write throws {@link TooLargeException}, so rendering stops at most one value past the limit
 * and the caller answers with an error instead of a huge or cut document.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class JsonOut {
  /** Thrown when a document grows beyond its budget. */
  public static final class TooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLargeException(int max) {
      super("document larger than " + max + " bytes", null, false, false);
    }
  }

  private final JsonWriter w;
  private final int maxBytes;

  public JsonOut(int maxBytes) {
    this.w = new JsonWriter(Math.min(maxBytes, 8192));
    this.maxBytes = maxBytes;
  }

  public JsonOut() {
    this(Integer.MAX_VALUE);
  }

  public int size() {
    return w.size();
  }

  public byte[] toByteArray() {
    return w.toByteArray();
  }

  public JsonOut beginObject() {
    w.beginObject();
    return check();
  }

  public JsonOut endObject() {
    w.endObject();
    return check();
  }

  public JsonOut beginArray() {
    w.beginArray();
    return check();
  }

  public JsonOut endArray() {
    w.endArray();
    return check();
  }

  public JsonOut name(String name) {
    w.name(name);
    return check();
  }

  public JsonOut value(String s) {
    if (s == null) {
      w.nullValue();
    } else {
      w.value(s);
    }
    return check();
  }

  public JsonOut value(long n) {
    w.value(n);
    return check();
  }

  public JsonOut value(double d) {
    w.value(d);
    return check();
  }

  public JsonOut value(boolean b) {
    w.value(b);
    return check();
  }

  public JsonOut nullValue() {
    w.nullValue();
    return check();
  }

  public JsonOut field(String name, String value) {
    return name(name).value(value);
  }

  public JsonOut field(String name, long value) {
    return name(name).value(value);
  }

  public JsonOut field(String name, double value) {
    return name(name).value(value);
  }

  public JsonOut field(String name, boolean value) {
    return name(name).value(value);
  }

  /** Writes an object of string members in the map's iteration order. */
  public JsonOut stringMap(Map<String, String> map) {
    beginObject();
    for (Map.Entry<String, String> e : map.entrySet()) {
      field(e.getKey(), e.getValue());
    }
    return endObject();
  }

  /** {@code s} as a quoted JSON string (same escaping rules). */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    JsonWriter.appendQuoted(b, s);
    return b.toString();
  }

  @Override
  public String toString() {
    return w.toString();
  }

  private JsonOut check() {
    if (w.size() > maxBytes) {
      throw new TooLargeException(maxBytes);
    }
    return this;
  }
}
