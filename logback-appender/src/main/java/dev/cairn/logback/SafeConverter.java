package dev.cairn.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * Makes any pattern part safe for plain-text logs ({@code %safe(...)}): what the inner pattern
 * writes is masked and escaped like {@code %safeMsg}, and capped at 1,024 UTF-8 bytes ({@code
 * %safe(...){n}} sets another cap). Use it around parts that carry text a caller or a remote peer
 * can choose: {@code %safe(%thread)}, {@code %safe(%X{user})}, {@code %safe(%marker)}.
 *
 * <pre>{@code
 * <conversionRule conversionWord="safe" converterClass="dev.cairn.logback.SafeConverter"/>
 * }</pre>
 */
public class SafeConverter extends CompositeConverter<ILoggingEvent> {
  private final Masker masker = Masker.defaults();
  private int maxBytes = 1024;

  @Override
  public void start() {
    maxBytes = SafeMessageConverter.intOption(getOptionList(), 0, 1024, 16);
    super.start();
  }

  @Override
  protected String transform(ILoggingEvent event, String in) {
    return in == null ? "" : PlainText.escapedAndCapped(in, masker, maxBytes);
  }
}
