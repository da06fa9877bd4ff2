package dev.cairn.logback;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;

/**
 * Pattern-layout converter for plain-text logs: {@code trace=<id> span=<id>} of the event (empty
 * when there is none), resolved like {@link CairnEncoder} does (the event's MDC, or the current
 * context on the logging thread). Register it in {@code logback.xml}:
 *
 * <pre>{@code
 * <conversionRule conversionWord="cairn" converterClass="dev.cairn.logback.CorrelationConverter"/>
 * <pattern>%d %-5level [%safe(%thread)] %safe(%logger) %cairn - %safeMsg%n%safeEx</pattern>
 * }</pre>
 */
public class CorrelationConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    try {
      Map<String, String> mdc = event.getMDCPropertyMap();
      Correlation c = new Correlation();
      c.capture(event, mdc == null ? Map.of() : mdc);
      if (c.traceId == null) {
        return "";
      }
      StringBuilder sb = new StringBuilder(64).append("trace=");
      SafeMessageConverter.appendEscaped(sb, c.traceId);
      if (c.spanId != null) {
        sb.append(" span=");
        SafeMessageConverter.appendEscaped(sb, c.spanId);
      }
      return sb.toString();
    } catch (RuntimeException e) {
      return "";
    }
  }
}
