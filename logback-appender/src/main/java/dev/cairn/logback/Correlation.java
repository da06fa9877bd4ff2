package dev.cairn.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.cairn.context.TraceContext;
import dev.cairn.logging.CorrelationMdc;
import dev.cairn.logging.MdcSettings;
import java.util.Map;

/**
 * The correlation ids of one event, resolved once and rendered in each format's own names.
 *
 * <p>Where they come from: the event's MDC, which Logback captured on the logging thread at the log
 * call (so the ids are right behind {@code AsyncAppender}), filled by Cairn's MDC bridge or by
 * another tracer using the same keys. When the encoder runs on the logging thread itself and
 * Cairn's current context carries the same trace, that context is used instead, because it also
 * knows the sampled flag (the MDC does not carry it).
 */
final class Correlation {
  String traceId;
  String spanId;
  String correlationId;
  /** -1 unknown, 0 not sampled, 1 sampled. */
  int sampled;
  /** Low 64 bits of the trace id and the span id when known as numbers (Datadog rendering). */
  long traceIdLow;
  long spanIdLong;
  boolean numeric;

  void clear() {
    traceId = null;
    spanId = null;
    correlationId = null;
    sampled = -1;
    numeric = false;
  }

  void capture(ILoggingEvent event, Map<String, String> mdc) {
    clear();
    MdcSettings ms = CorrelationMdc.settings();
    String mdcTrace = mdc.get(ms.traceIdKey());
    TraceContext ctx = TraceContext.current();
    if (ctx.isValid()
        && (mdcTrace == null
            ? Thread.currentThread().getName().equals(event.getThreadName())
            : mdcTrace.equals(ctx.traceIdHex()))) {
      fromContext(ctx);
      return;
    }
    if (mdcTrace != null && !mdcTrace.isEmpty()) {
      traceId = mdcTrace;
      spanId = emptyToNull(mdc.get(ms.spanIdKey()));
    }
    correlationId = emptyToNull(mdc.get(ms.correlationIdKey()));
  }

  void fromContext(TraceContext ctx) {
    clear();
    if (ctx.isValid()) {
      traceId = ctx.traceIdHex();
      spanId = ctx.spanIdHex();
      sampled = ctx.isSampled() ? 1 : 0;
      traceIdLow = ctx.traceIdLow();
      spanIdLong = ctx.spanId();
      numeric = true;
    }
    correlationId = emptyToNull(ctx.correlationIdOrEmpty());
  }

  /** Fills the numeric ids from hex text for the Datadog rendering; false if not hex. */
  boolean ensureNumeric() {
    if (numeric) {
      return true;
    }
    if (traceId == null || spanId == null || traceId.length() < 16 || spanId.length() != 16) {
      return false;
    }
    try {
      traceIdLow = Long.parseUnsignedLong(traceId.substring(traceId.length() - 16), 16);
      spanIdLong = Long.parseUnsignedLong(spanId, 16);
      numeric = true;
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
