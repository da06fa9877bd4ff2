package dev.cairn.logback;

import dev.cairn.internal.LogSafe;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;

/**
 * Escaping for plain-text log lines: CR and LF become {@code \r} and {@code \n}, TAB {@code \t},
 * backslash {@code \\}, and every other C0/C1 control, DEL and U+2028/U+2029 {@code \\uXXXX}, so
 * text can never start a new physical line or send terminal escapes. Output is capped in UTF-8
 * bytes; a cut is marked with {@value #CUT} and counted in {@code cairn.logback.truncated}.
 */
final class PlainText {
  static final String CUT = "…[truncated]";
  static final SelfCounter TRUNCATED =
      SelfCounters.GLOBAL.counter(
          "cairn.logback.truncated",
          "Log lines shortened to fit the byte budget or a field cap",
          "events");
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private PlainText() {}

  static boolean needsEscaping(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (LogSafe.isUnsafe(c) || c == '\\') {
        return true;
      }
    }
    return false;
  }

  /** Appends {@code s} escaped, without limit. */
  static void appendEscaped(StringBuilder sb, String s) {
    appendEscaped(sb, s, Integer.MAX_VALUE);
  }

  /**
   * Appends {@code s} escaped while the appended text stays within {@code maxBytes} UTF-8 bytes;
   * returns false when it had to stop early (the caller marks and counts the cut).
   */
  static boolean appendEscaped(StringBuilder sb, String s, int maxBytes) {
    long bytes = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      int cost;
      if (c == '\n' || c == '\r' || c == '\t' || c == '\\') {
        cost = 2;
      } else if (LogSafe.isUnsafe(c)) {
        cost = 6;
      } else if (c < 0x80) {
        cost = 1;
      } else if (c < 0x800) {
        cost = 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        cost = 4;
      } else {
        cost = 3; // a lone surrogate is written as U+FFFD by the encoder: 3 bytes
      }
      if (bytes + cost > maxBytes) {
        return false;
      }
      bytes += cost;
      switch (c) {
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\\':
          sb.append("\\\\"); // so an escaped sequence in the output is never ambiguous
          break;
        default:
          if (cost == 6) {
            sb.append("\\u").append(HEX[(c >> 12) & 15]).append(HEX[(c >> 8) & 15])
                .append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
          } else if (cost == 4) {
            sb.append(c).append(s.charAt(++i));
          } else {
            sb.append(c);
          }
      }
    }
    return true;
  }

  /**
   * {@code s} escaped and capped at {@code maxBytes}; the text is cut to {@code maxBytes} chars
   * before anything else, so a huge input costs no more than the cap.
   */
  static String escapedAndCapped(String s, Masker masker, int maxBytes) {
    boolean cut = s.length() > maxBytes;
    int keep = cut && Character.isHighSurrogate(s.charAt(maxBytes - 1)) ? maxBytes - 1 : maxBytes;
    String m = Values.mask(masker, cut ? s.substring(0, keep) : s);
    if (!cut && !needsEscaping(m) && utf8Length(m) <= maxBytes) {
      return m;
    }
    StringBuilder sb = new StringBuilder(Math.min(m.length() + 16, maxBytes + CUT.length()));
    if (!appendEscaped(sb, m, maxBytes)) {
      cut = true;
    }
    if (cut) {
      sb.append(CUT);
      TRUNCATED.increment();
    }
    return sb.toString();
  }

  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3; // a surrogate pair counts 6 here: an overestimate
    }
    return n;
  }
}
