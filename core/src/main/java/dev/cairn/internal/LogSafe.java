package dev.cairn.internal;

/**
 * Text that came from outside the process (a header value, a baggage value) made safe for a log
 * field or the MDC, where a plain-text pattern such as {@code %X{key}} writes it unescaped.
 *
 * <p>Unsafe are the characters that can end a line, rewrite a terminal or hide text: the C0
 * controls (U+0000–U+001F, so CR, LF, ESC, NUL), DEL (U+007F), the C1 controls (U+0080–U+009F,
 * NEL among them) and the Unicode line and paragraph separators (U+2028, U+2029). Each becomes the
 * six visible characters {@code \}{@code uXXXX} (lower-case hex), so the value stays readable and
 * on one line, and nothing else changes.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class LogSafe {
  private LogSafe() {}

  /** True for a character that must never reach a log line raw. */
  public static boolean isUnsafe(char c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
  }

  /** True when {@code s} holds no {@linkplain #isUnsafe unsafe} character. */
  public static boolean isSafe(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (isUnsafe(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code s} with every unsafe character written as {@code \}{@code uXXXX}; {@code s} itself (no
   * copy) when it holds none, which is the usual case on the hot path.
   */
  public static String escape(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && !isUnsafe(s.charAt(i))) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n + 16);
    sb.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (isUnsafe(c)) {
        sb.append("\\u")
            .append(HEX[(c >> 12) & 0xF])
            .append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF])
            .append(HEX[c & 0xF]);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();
}
