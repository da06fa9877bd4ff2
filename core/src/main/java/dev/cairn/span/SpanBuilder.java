package dev.cairn.span;

import dev.cairn.context.TraceContext;

/**
 * Configures and starts one span. By default the parent is the context current on this thread
 * ({@link TraceContext#current()}); without one the span starts a new trace.
 *
 * <p>Builders are cheap, single-use and not thread-safe. Like {@link Span}, they never throw:
 * {@code null} arguments are ignored.
 */
public interface SpanBuilder {
  /** Uses {@code parent} as the parent instead of the current context. */
  SpanBuilder setParent(TraceContext parent);

  /**
   * Starts a new trace even if a context is current. The correlation id and baggage of the current
   * context are kept: they belong to the request, not to the trace.
   */
  SpanBuilder setNoParent();

  /** The span kind (default {@link SpanKind#INTERNAL}). */
  SpanBuilder setKind(SpanKind kind);

  /** A string attribute known at start (samplers and listeners see it). */
  SpanBuilder setAttribute(String key, String value);

  /** A long attribute. */
  SpanBuilder setAttribute(String key, long value);

  /** A double attribute. */
  SpanBuilder setAttribute(String key, double value);

  /** A boolean attribute. */
  SpanBuilder setAttribute(String key, boolean value);

  /** A link to another span's context. */
  SpanBuilder addLink(TraceContext context);

  /** A link with attributes. */
  SpanBuilder addLink(TraceContext context, Attributes attributes);

  /** An explicit start time in nanoseconds since the Unix epoch (default: now). */
  SpanBuilder setStartTimestamp(long epochNanos);

  /** Starts the span. Never returns {@code null}. */
  Span startSpan();
}
