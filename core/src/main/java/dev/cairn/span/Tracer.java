package dev.cairn.span;

/**
 * Creates spans. Obtain one from {@code Cairn.tracer()} (or {@link Tracing#tracer(String)}), keep it
 * in a field, and call {@link #spanBuilder(String)} per operation.
 */
public interface Tracer {
  /** A builder for a span named {@code name} (a {@code null} name becomes {@code "unnamed"}). */
  SpanBuilder spanBuilder(String name);

  /** Starts an {@link SpanKind#INTERNAL} span, child of the current context. */
  default Span startSpan(String name) {
    return spanBuilder(name).startSpan();
  }

  /** A tracer whose spans do nothing and allocate nothing. */
  static Tracer noop() {
    return NoopSpan.TRACER;
  }
}
