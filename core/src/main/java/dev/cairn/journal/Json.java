package dev.cairn.journal;

import java.lang.reflect.Array;
import java.util.Map;

/** A small JSON writer for payloads and the tool's output; no reflection on user types. */
final class Json {
  private static final int MAX_DEPTH = 64;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  static String write(Object value) {
    StringBuilder sb = new StringBuilder(64);
    value(sb, value, 0);
    return sb.toString();
  }

  static void value(StringBuilder sb, Object v, int depth) {
    if (v == null || depth > MAX_DEPTH) {
      sb.append("null");
    } else if (v instanceof CharSequence) {
      string(sb, (CharSequence) v);
    } else if (v instanceof Boolean) {
      sb.append(((Boolean) v).booleanValue());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d)) {
        sb.append(v);
      } else {
        sb.append("null");
      }
    } else if (v instanceof Number) {
      String s = v.toString();
      // BigDecimal and friends print finite decimals; anything else odd becomes a string.
      if (s.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
        sb.append(s);
      } else {
        string(sb, s);
      }
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, String.valueOf(e.getKey()));
        sb.append(':');
        value(sb, e.getValue(), depth + 1);
      }
      sb.append('}');
    } else if (v instanceof Iterable) {
      sb.append('[');
      boolean first = true;
      for (Object o : (Iterable<?>) v) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        value(sb, o, depth + 1);
      }
      sb.append(']');
    } else if (v.getClass().isArray()) {
      sb.append('[');
      int n = Array.getLength(v);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append(',');
        }
        value(sb, Array.get(v, i), depth + 1);
      }
      sb.append(']');
    } else {
      string(sb, String.valueOf(v));
    }
  }

  /** A JSON string; escapes controls, quotes, backslash, U+2028/9 and lone surrogates. */
  static void string(StringBuilder sb, CharSequence s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c < 0x20 || c == 0x2028 || c == 0x2029 || (c >= 0x7f && c <= 0x9f)) {
        unicode(sb, c);
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          sb.append(c).append(s.charAt(++i));
        } else {
          unicode(sb, c);
        }
      } else if (Character.isLowSurrogate(c)) {
        unicode(sb, c);
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  private static void unicode(StringBuilder sb, char c) {
    sb.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
