package dev.cairn.span;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;

/**
 * A timed operation in a trace. Start one with {@link Tracer#spanBuilder(String)}, make it current
 * while it runs, and end it exactly once:
 *
 * <pre>{@code
 * Span span = tracer.spanBuilder("GET /orders").setKind(SpanKind.SERVER).startSpan();
 * try (Scope scope = span.makeCurrent()) {
 *   ...
 * } catch (RuntimeException e) {
 *   span.recordException(e).setStatus(StatusCode.ERROR);
 *   throw e;
 * } finally {
 *   span.end();
 * }
 * }</pre>
 *
 * <p>Every method is safe to call in any state and never throws: after {@link #end()} mutations
 * are ignored, {@code null} arguments are ignored, and values beyond the {@link SpanLimits} are
 * dropped or truncated and counted ({@code cairn.span.truncated}). A span is written by one thread
 * at a time; hand it to another thread through the usual happens-before edges (an executor does).
 */
public interface Span {
  /** The span's context (valid unless the span is the disabled no-op). */
  TraceContext context();

  /**
   * True when the span records what is set on it (listeners or exporters will see it). A span that
   * was not sampled still records when synchronous listeners or sinks are installed: sampling
   * decides what leaves the process, not what the process can see.
   */
  boolean isRecording();

  /** Sets a string attribute (longer values are truncated to the limit). */
  Span setAttribute(String key, String value);

  /** Sets a long attribute. */
  Span setAttribute(String key, long value);

  /** Sets a double attribute. */
  Span setAttribute(String key, double value);

  /** Sets a boolean attribute. */
  Span setAttribute(String key, boolean value);

  /** Sets a string-array attribute (copied). */
  Span setAttribute(String key, String[] values);

  /** Sets a long-array attribute (copied). */
  Span setAttribute(String key, long[] values);

  /** Sets a double-array attribute (copied). */
  Span setAttribute(String key, double[] values);

  /** Sets a boolean-array attribute (copied). */
  Span setAttribute(String key, boolean[] values);

  /** Adds an event timestamped now. */
  Span addEvent(String name);

  /** Adds an event with attributes, timestamped now. */
  Span addEvent(String name, Attributes attributes);

  /** Adds an event at an explicit time (nanoseconds since the Unix epoch). */
  Span addEvent(String name, Attributes attributes, long epochNanos);

  /** Links this span to another span's context. */
  Span addLink(TraceContext context);

  /** Links this span to another span's context, with attributes. */
  Span addLink(TraceContext context, Attributes attributes);

  /** Sets the status; once {@link StatusCode#OK} it stays OK (OpenTelemetry's rule). */
  Span setStatus(StatusCode code);

  /** Sets the status with a description (kept for {@link StatusCode#ERROR} only). */
  Span setStatus(StatusCode code, String description);

  /**
   * Records an exception as an event named {@code exception} with the OpenTelemetry attributes
   * {@code exception.type}, {@code exception.message} and {@code exception.stacktrace}. Does not
   * change the status.
   */
  Span recordException(Throwable exception);

  /** Records an exception with extra attributes on its event. */
  Span recordException(Throwable exception, Attributes attributes);

  /** Renames the span. */
  Span updateName(String name);

  /** Ends the span now. Later calls are ignored. */
  void end();

  /** Ends the span at an explicit time (nanoseconds since the Unix epoch). */
  void end(long epochNanos);

  /**
   * Makes this span's context current on this thread (and in the MDC) until the scope closes. Does
   * not end the span.
   */
  default Scope makeCurrent() {
    TraceContext c = context();
    return c.isValid() ? c.makeCurrent() : Scope.noop();
  }

  /** A span that records nothing, allocates nothing and has an invalid context. */
  static Span noop() {
    return NoopSpan.INSTANCE;
  }
}
