package dev.cairn.metrics;

import dev.cairn.context.TraceContext;
import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * Gives the Prometheus registry the trace and span ids of the sampled context current on the
 * recording thread, so histogram and counter samples carry exemplars that link to the trace.
 */
final class TraceExemplars implements SpanContext {
  @Override
  public String getCurrentTraceId() {
    TraceContext c = TraceContext.current();
    return c.isValid() ? c.traceIdHex() : null;
  }

  @Override
  public String getCurrentSpanId() {
    TraceContext c = TraceContext.current();
    return c.isValid() ? c.spanIdHex() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    TraceContext c = TraceContext.current();
    return c.isValid() && c.isSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    // Cairn spans carry no "exemplar" mark; sampled spans are exported anyway.
  }
}
