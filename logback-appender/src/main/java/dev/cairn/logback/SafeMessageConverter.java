package dev.cairn.logback;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;

/**
 * Pattern-layout converter for plain-text logs: the formatted message with CR and LF written as
 * {@code \r} and {@code \n}, and every other C0/C1 control, DEL and U+2028/U+2029 as {@code
 * \\uXXXX}, so a message can never forge a log line or send terminal escapes. Secrets are masked
 * like in {@link CairnEncoder}. At most 8,192 UTF-8 bytes are written ({@code %safeMsg{n}} sets
 * another cap, at least 64); a longer message ends with {@value PlainText#CUT} and is counted in
 * {@code cairn.logback.truncated}. Register it in {@code logback.xml}:
 *
 * <pre>{@code
 * <conversionRule conversionWord="safeMsg" converterClass="dev.cairn.logback.SafeMessageConverter"/>
 * }</pre>
 */
public class SafeMessageConverter extends ClassicConverter {
  /** The default cap of one message in UTF-8 bytes. */
  public static final int DEFAULT_MAX_BYTES = 8192;

  private final Masker masker = Masker.defaults();
  private int maxBytes = DEFAULT_MAX_BYTES;

  @Override
  public void start() {
    maxBytes = intOption(getOptionList(), 0, DEFAULT_MAX_BYTES, 64);
    super.start();
  }

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
    return PlainText.escapedAndCapped(m, masker, maxBytes);
  }

  /** Option {@code index} as an int of at least {@code min}; the default when absent or bad. */
  static int intOption(List<String> options, int index, int dflt, int min) {
    if (options == null || options.size() <= index) {
      return dflt;
    }
    try {
      return Math.max(min, Integer.parseInt(options.get(index).trim()));
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  static void appendEscaped(StringBuilder sb, String s) {
    PlainText.appendEscaped(sb, s);
  }
}
