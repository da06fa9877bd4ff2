package dev.cairn.logback;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.CoreConstants;
import dev.cairn.internal.Fatal;
import java.util.List;

/**
 * Pattern-layout converter for an event's exception in plain-text logs ({@code %safeEx}). Being a
 * {@link ThrowableHandlingConverter}, its presence stops Logback from appending its own raw {@code
 * %ex} to the pattern.
 *
 * <p>The trace has the JDK's shape ({@code Caused by:}, {@code Suppressed:}, {@code ... n more}),
 * and every line of it starts with a TAB, which is what log agents' multiline rules treat as a
 * continuation of the event's line; exception messages, class and frame text are escaped like
 * {@code %safeMsg} (so a CR or LF inside a message cannot start a line of its own) and masked.
 * Bounded: {@code %safeEx{frames,causes,bytes}} (defaults 64 frames per throwable, 16 throwables
 * per event, causes and suppressed together, cycle-safe, and 16,384 UTF-8 bytes); a cut trace ends
 * with a {@value #CUT_LINE} line and is counted in {@code cairn.logback.truncated}.
 *
 * <pre>{@code
 * <conversionRule conversionWord="safeEx" converterClass="dev.cairn.logback.SafeThrowableConverter"/>
 * }</pre>
 */
public class SafeThrowableConverter extends ThrowableHandlingConverter {
  static final String CUT_LINE = "\t[cairn: stack trace truncated]";

  private final Masker masker = Masker.defaults();
  private Throwables throwables = new Throwables(64, 16, false, 16_384, true);
  private int maxBytes = 16_384;

  @Override
  public void start() {
    List<String> options = getOptionList();
    int frames = SafeMessageConverter.intOption(options, 0, 64, 1);
    int causes = SafeMessageConverter.intOption(options, 1, 16, 1);
    maxBytes = SafeMessageConverter.intOption(options, 2, 16_384, 256);
    throwables = new Throwables(frames, causes, false, maxBytes, true);
    super.start();
  }

  @Override
  public String convert(ILoggingEvent event) {
    IThrowableProxy tp = event.getThrowableProxy();
    if (tp == null) {
      return "";
    }
    try {
      return lines(throwables.render(tp, masker).stackTrace);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      return "\t[cairn: exception could not be rendered: " + t.getClass().getName() + "]"
          + CoreConstants.LINE_SEPARATOR;
    }
  }

  /** Each line of the rendered trace prefixed with a TAB, within the byte cap. */
  private String lines(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 64);
    int bytes = 0;
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      int lineBytes = 1 + utf8Length(text, start, end) + CoreConstants.LINE_SEPARATOR.length();
      if (bytes + lineBytes > maxBytes) {
        sb.append(CUT_LINE).append(CoreConstants.LINE_SEPARATOR);
        PlainText.TRUNCATED.increment();
        break;
      }
      bytes += lineBytes;
      sb.append('\t').append(text, start, end).append(CoreConstants.LINE_SEPARATOR);
      start = end + 1;
    }
    return sb.toString();
  }

  private static int utf8Length(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }
}
