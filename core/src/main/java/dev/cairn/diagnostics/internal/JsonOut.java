package dev.cairn.diagnostics.internal;

import java.util.Map;

/**
 * A small streaming JSON writer for diagnostics documents: objects, arrays, strings, numbers and
 * booleans, with escaping that keeps every document valid and single-line (control characters,
 * U+2028/U+2029 and lone surrogates are escaped). Bounded: once {@code maxChars} is reached the
 * writer stops appending and {@link #truncated()} says so, so a huge document cannot exhaust the
 * heap. A truncated document is not valid JSON: callers check {@link #truncated()} and answer with
 * an error (counted) instead.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class JsonOut {
  private final StringBuilder sb;
  private final int maxChars;
  private boolean truncated;
  // One bit per nesting level: does the current container already hold a member?
  private long hasMember;
  private int depth;
  private boolean afterName;

  public JsonOut(int maxChars) {
    this.sb = new StringBuilder(Math.min(maxChars, 4096));
    this.maxChars = maxChars;
  }

  public JsonOut() {
    this(Integer.MAX_VALUE);
  }

  public boolean truncated() {
    return truncated;
  }

  public int length() {
    return sb.length();
  }

  public JsonOut beginObject() {
    value();
    raw('{');
    push();
    return this;
  }

  public JsonOut endObject() {
    pop();
    raw('}');
    return this;
  }

  public JsonOut beginArray() {
    value();
    raw('[');
    push();
    return this;
  }

  public JsonOut endArray() {
    pop();
    raw(']');
    return this;
  }

  public JsonOut name(String name) {
    comma();
    string0(name);
    raw(':');
    afterName = true;
    return this;
  }

  public JsonOut value(String s) {
    value();
    if (s == null) {
      raw("null");
    } else {
      string0(s);
    }
    return this;
  }

  public JsonOut value(long n) {
    value();
    raw(Long.toString(n));
    return this;
  }

  public JsonOut value(double d) {
    value();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      raw("null"); // JSON has no NaN; null is what a reader can handle
    } else {
      raw(Double.toString(d));
    }
    return this;
  }

  public JsonOut value(boolean b) {
    value();
    raw(b ? "true" : "false");
    return this;
  }

  public JsonOut nullValue() {
    value();
    raw("null");
    return this;
  }

  public JsonOut field(String name, String value) {
    return name(name).value(value);
  }

  public JsonOut field(String name, long value) {
    return name(name).value(value);
  }

  public JsonOut field(String name, boolean value) {
    return name(name).value(value);
  }

  /** Writes an object of string members in the map's iteration order. */
  public JsonOut stringMap(Map<String, String> map) {
    beginObject();
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (truncated) {
        break;
      }
      field(e.getKey(), e.getValue());
    }
    return endObject();
  }

  @Override
  public String toString() {
    return sb.toString();
  }

  /** Appends {@code s} as a quoted JSON string to {@code out}. */
  public static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            unicode(out, c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(++i));
            } else {
              unicode(out, c); // a lone surrogate cannot be encoded as UTF-8; keep it as an escape
            }
          } else if (Character.isLowSurrogate(c)) {
            unicode(out, c);
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  /** {@code s} as a quoted JSON string. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    quote(b, s);
    return b.toString();
  }

  private static void unicode(StringBuilder out, char c) {
    String hex = "0123456789abcdef";
    out.append("\\u")
        .append(hex.charAt((c >> 12) & 0xf))
        .append(hex.charAt((c >> 8) & 0xf))
        .append(hex.charAt((c >> 4) & 0xf))
        .append(hex.charAt(c & 0xf));
  }

  private void string0(String s) {
    if (truncated) {
      return;
    }
    quote(sb, s);
    check();
  }

  private void value() {
    if (afterName) {
      afterName = false;
    } else {
      comma();
    }
  }

  private void comma() {
    if (depth > 0 && depth <= 64) {
      long bit = 1L << (depth - 1);
      if ((hasMember & bit) != 0) {
        raw(',');
      }
      hasMember |= bit;
    }
  }

  private void push() {
    depth++;
    if (depth <= 64) {
      hasMember &= ~(1L << (depth - 1));
    }
  }

  private void pop() {
    depth--;
    afterName = false;
  }

  private void raw(char c) {
    if (!truncated) {
      sb.append(c);
      check();
    }
  }

  private void raw(String s) {
    if (!truncated) {
      sb.append(s);
      check();
    }
  }

  private void check() {
    if (sb.length() > maxChars) {
      truncated = true;
    }
  }
}
