package dev.cairn.logback;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Pattern-layout converter for plain-text logs: the formatted message with CR and LF written as
 * {@code \r} and {@code \n}, and every other C0/C1 control, DEL and U+2028/U+2029 as {@code
 * \\uXXXX}, so a message can never forge a log line or send terminal escapes. Secrets are masked
 * like in {@link CairnEncoder}. Register it in {@code logback.xml}:
 *
 * <pre>{@code
 * <conversionRule conversionWord="safeMsg" converterClass="dev.cairn.logback.SafeMessageConverter"/>
 * }</pre>
 */
public class SafeMessageConverter extends ClassicConverter {
  private final Masker masker = Masker.defaults();

  @Override
  public String convert(ILoggingEvent event) {
    String m;
    try {
      m = event.getFormattedMessage();
    } catch (RuntimeException e) {
      m = "[message formatting failed]";
    }
    if (m == null) {
      return "";
    }
    m = masker.mask(m);
    if (!needsEscaping(m)) {
      return m;
    }
    StringBuilder sb = new StringBuilder(m.length() + 16);
    appendEscaped(sb, m);
    return sb.toString();
  }

  private static boolean needsEscaping(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == '\\') {
        return true;
      }
    }
    return false;
  }

  static void appendEscaped(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c == '\\') {
        sb.append("\\\\"); // so an escaped sequence in the output is never ambiguous
      } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
  }
}
