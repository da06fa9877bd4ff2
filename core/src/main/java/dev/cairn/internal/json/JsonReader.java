package dev.cairn.internal.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON parser for the short replies exporters read (OTLP partial success, bulk
 * API results). Produces {@code Map<String,Object>} (insertion order), {@code List<Object>},
 * {@code String}, {@code Long} (integral numbers that fit), {@code Double}, {@code Boolean} and
 * {@code null}. Nesting is capped at 64 levels; input size is capped by the transport that read
 * it. Malformed input throws {@link IllegalArgumentException}.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class JsonReader {
  private static final int MAX_DEPTH = 64;

  private final String s;
  private int pos;

  private JsonReader(String s) {
    this.s = s;
  }

  /** Parses one JSON value (surrounding whitespace allowed). */
  public static Object parse(String json) {
    JsonReader r = new JsonReader(json);
    Object v = r.value(0);
    r.skipWs();
    if (r.pos != json.length()) {
      throw r.error("trailing characters");
    }
    return v;
  }

  /**
   * Follows {@code path} through nested objects; returns the value or {@code null} when any step
   * is missing or not an object.
   */
  public static Object at(Object root, String... path) {
    Object cur = root;
    for (String key : path) {
      if (!(cur instanceof Map)) {
        return null;
      }
      cur = ((Map<?, ?>) cur).get(key);
    }
    return cur;
  }

  /** A number or a decimal string (proto3 int64) as a long; {@code fallback} otherwise. */
  public static long asLong(Object v, long fallback) {
    if (v instanceof Long) {
      return (Long) v;
    }
    if (v instanceof Double) {
      return ((Double) v).longValue();
    }
    if (v instanceof String) {
      try {
        return Long.parseLong((String) v);
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    return fallback;
  }

  private Object value(int depth) {
    skipWs();
    if (pos >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Map<String, Object> object(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
    pos++; // {
    Map<String, Object> m = new LinkedHashMap<>();
    skipWs();
    if (peek() == '}') {
      pos++;
      return m;
    }
    while (true) {
      skipWs();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      String key = string();
      skipWs();
      expect(':');
      m.put(key, value(depth));
      skipWs();
      char c = next();
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
    pos++; // [
    List<Object> l = new ArrayList<>();
    skipWs();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(l);
    }
    while (true) {
      l.add(value(depth));
      skipWs();
      char c = next();
      if (c == ']') {
        return Collections.unmodifiableList(l);
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder b = null;
    int start = pos;
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos);
      if (c == '"') {
        String out = b == null ? s.substring(start, pos) : b.append(s, start, pos).toString();
        pos++;
        return out;
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c == '\\') {
        if (b == null) {
          b = new StringBuilder();
        }
        b.append(s, start, pos);
        pos++;
        char e = next();
        switch (e) {
          case '"':
          case '\\':
          case '/':
            b.append(e);
            break;
          case 'b':
            b.append('\b');
            break;
          case 'f':
            b.append('\f');
            break;
          case 'n':
            b.append('\n');
            break;
          case 'r':
            b.append('\r');
            break;
          case 't':
            b.append('\t');
            break;
          case 'u':
            if (pos + 4 > s.length()) {
              throw error("truncated \\u escape");
            }
            int cp = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(s.charAt(pos + i), 16);
              if (d < 0) {
                throw error("bad \\u escape");
              }
              cp = (cp << 4) | d;
            }
            pos += 4;
            b.append((char) cp);
            break;
          default:
            throw error("bad escape '\\" + e + "'");
        }
        start = pos;
      } else {
        pos++;
      }
    }
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    boolean integral = true;
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw error("bad number");
    }
    if (peek() == '.') {
      integral = false;
      pos++;
      if (!isDigit(peek())) {
        throw error("bad fraction");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("bad exponent");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    String text = s.substring(start, pos);
    if (integral && text.length() <= 18) {
      return Long.parseLong(text);
    }
    return Double.parseDouble(text);
  }

  private Object literal(String word, Object value) {
    if (!s.startsWith(word, pos)) {
      throw error("unexpected literal");
    }
    pos += word.length();
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private char peek() {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private char next() {
    if (pos >= s.length()) {
      throw error("unexpected end");
    }
    return s.charAt(pos++);
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private void skipWs() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("malformed JSON at offset " + pos + ": " + what);
  }
}
