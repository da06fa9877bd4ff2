package dev.cairn.diagnostics.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny strict JSON parser (RFC 8259) for reading diagnostics documents back, e.g. two
 * fingerprints to diff. Objects become {@link LinkedHashMap}s, arrays {@link List}s, strings
 * {@link String}s, numbers {@link Double} or {@link Long}, literals {@link Boolean} or {@link
 * #NULL}. Bounded: nesting deeper than {@link #MAX_DEPTH} and duplicate keys are rejected with a
 * message that names the offset.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class JsonIn {
  /** The JSON {@code null}, so that maps never hold Java nulls. */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  static final int MAX_DEPTH = 64;

  private final String s;
  private int pos;
  private int depth;

  private JsonIn(String s) {
    this.s = s;
  }

  /**
   * Parses one JSON value that spans the whole input.
   *
   * @throws IllegalArgumentException when the input is not valid JSON
   */
  public static Object parse(String json) {
    JsonIn p = new JsonIn(json);
    p.ws();
    Object v = p.value();
    p.ws();
    if (p.pos != json.length()) {
      throw p.error("unexpected content after the value");
    }
    return v;
  }

  private Object value() {
    if (pos >= s.length()) {
      throw error("unexpected end of input");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Map<String, Object> object() {
    enter();
    pos++;
    Map<String, Object> out = new LinkedHashMap<>();
    ws();
    if (peek() == '}') {
      pos++;
      depth--;
      return out;
    }
    while (true) {
      ws();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      int at = pos;
      String key = string();
      ws();
      expect(':');
      ws();
      Object v = value();
      if (out.put(key, v) != null) {
        pos = at;
        throw error("duplicate member name \"" + key + "\"");
      }
      ws();
      char c = peek();
      pos++;
      if (c == '}') {
        depth--;
        return out;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array() {
    enter();
    pos++;
    List<Object> out = new ArrayList<>();
    ws();
    if (peek() == ']') {
      pos++;
      depth--;
      return Collections.unmodifiableList(out);
    }
    while (true) {
      ws();
      out.add(value());
      ws();
      char c = peek();
      pos++;
      if (c == ']') {
        depth--;
        return Collections.unmodifiableList(out);
      }
      if (c != ',') {
        pos--;
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
        if (pos >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(pos++);
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
              throw error("short \\u escape");
            }
            int cp = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(s.charAt(pos + i), 16);
              if (d < 0) {
                throw error("bad \\u escape");
              }
              cp = cp * 16 + d;
            }
            pos += 4;
            b.append((char) cp);
            break;
          default:
            pos--;
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
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw error("bad number");
    }
    boolean integral = true;
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
    if (integral && text.length() < 19) {
      return Long.parseLong(text);
    }
    return Double.parseDouble(text);
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, pos)) {
      throw error("unexpected literal");
    }
    pos += word.length();
    return v;
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void ws() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + what);
  }
}
