package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.logging.CorrelationMdc;
import dev.cairn.logging.MdcSettings;
import org.slf4j.MDC;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;

/**
 * Builds the Cairn context that mirrors a tracer's span, for the scope hooks of the Brave and
 * OpenTelemetry bridges. The correlation id and baggage of the thread's current Cairn context are
 * kept when it belongs to the same trace (a span made current inside a request keeps the request's
 * id); a span of another trace starts without them.
 */
final class MirroredContexts {
  static final SelfCounter ERRORS =
      SelfCounters.GLOBAL.counter(
          "cairn.observation.errors",
          "Failures contained while Cairn handled a Micrometer observation (carrier access, propagator, response writer)",
          "errors",
          "phase",
          "mirror");

  private MirroredContexts() {}

  /**
   * The mirror of a span with these ids (hex; a 16-digit trace id is left-padded), or {@link
   * TraceContext#empty()} for an invalid one.
   */
  static TraceContext of(String traceId, String spanId, String parentId, boolean sampled) {
    if (traceId == null || spanId == null || traceId.isEmpty() || spanId.isEmpty()) {
      return TraceContext.empty();
    }
    TraceContext.Builder b = TraceContext.builder().traceId(traceId).spanId(spanId).sampled(sampled);
    if (parentId != null && !parentId.isEmpty()) {
      b.parentSpanId(Long.parseUnsignedLong(parentId, 16));
    }
    TraceContext mirror = b.build();
    if (!mirror.isValid()) {
      return TraceContext.empty();
    }
    TraceContext current = TraceContext.current();
    if (current.isValid()
        && current.traceIdHigh() == mirror.traceIdHigh()
        && current.traceIdLow() == mirror.traceIdLow()) {
      mirror = mirror.withCorrelationId(current.correlationIdOrEmpty()).withBaggage(current.baggage());
    }
    return mirror;
  }

  /**
   * Makes {@code mirror} current. Cairn renders trace ids in 32 digits; a tracer keeping a 64-bit
   * trace id (B3 from an older caller) renders 16. Both write the same MDC key, and the log line
   * keeps the tracer's form, as in its reported spans; closing the scope restores the key as usual.
   */
  static Scope makeCurrent(TraceContext mirror, String tracerTraceId) {
    Scope s = mirror.makeCurrent();
    MdcSettings mdc = CorrelationMdc.settings();
    if (mirror.isValid() && mdc.enabled() && tracerTraceId != null && tracerTraceId.length() == 16) {
      MDC.put(mdc.traceIdKey(), tracerTraceId);
    }
    return s;
  }

  static void contain(Throwable t) {
    Fatal.rethrowIfFatal(t);
    ERRORS.increment();
    Reporter.warn("observation.mirror", "Cairn could not mirror Micrometer Tracing's span: " + t, t);
  }
}
