package dev.cairn.journal;

/**
 * Checks that text is one complete JSON value (RFC 8259), so the tool embeds a JSON payload only when
 * it cannot break the output line. Recursive descent with a depth cap; no values are built.
 */
final class JsonCheck {
  private static final int MAX_DEPTH = 256;
  private final String s;
  private int i;

  private JsonCheck(String s) {
    this.s = s;
  }

  static boolean isValid(String text) {
    JsonCheck c = new JsonCheck(text);
    try {
      c.ws();
      if (!c.value(0)) {
        return false;
      }
      c.ws();
      return c.i == text.length();
    } catch (StringIndexOutOfBoundsException e) {
      return false;
    }
  }

  private void ws() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  private boolean value(int depth) {
    if (depth > MAX_DEPTH || i >= s.length()) {
      return false;
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  private boolean literal(String word) {
    if (s.startsWith(word, i)) {
      i += word.length();
      return true;
    }
    return false;
  }

  private boolean object(int depth) {
    i++;
    ws();
    if (s.charAt(i) == '}') {
      i++;
      return true;
    }
    while (true) {
      ws();
      if (s.charAt(i) != '"' || !string()) {
        return false;
      }
      ws();
      if (s.charAt(i++) != ':') {
        return false;
      }
      ws();
      if (!value(depth + 1)) {
        return false;
      }
      ws();
      char c = s.charAt(i++);
      if (c == '}') {
        return true;
      }
      if (c != ',') {
        return false;
      }
    }
  }

  private boolean array(int depth) {
    i++;
    ws();
    if (s.charAt(i) == ']') {
      i++;
      return true;
    }
    while (true) {
      ws();
      if (!value(depth + 1)) {
        return false;
      }
      ws();
      char c = s.charAt(i++);
      if (c == ']') {
        return true;
      }
      if (c != ',') {
        return false;
      }
    }
  }

  private boolean string() {
    i++;
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return true;
      }
      if (c < 0x20 || c == 0x2028 || c == 0x2029) {
        return false; // raw controls are invalid; U+2028/9 are valid JSON but break some readers
      }
      if (c == '\\') {
        char e = s.charAt(i++);
        if (e == 'u') {
          for (int k = 0; k < 4; k++) {
            if (Character.digit(s.charAt(i++), 16) < 0) {
              return false;
            }
          }
        } else if ("\"\\/bfnrt".indexOf(e) < 0) {
          return false;
        }
      }
    }
  }

  private boolean number() {
    int start = i;
    if (s.charAt(i) == '-') {
      i++;
    }
    if (i < s.length() && s.charAt(i) == '0') {
      i++;
    } else if (!digits()) {
      return false;
    }
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      if (!digits()) {
        return false;
      }
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      if (!digits()) {
        return false;
      }
    }
    return i > start;
  }

  private boolean digits() {
    int start = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i > start;
  }
}
