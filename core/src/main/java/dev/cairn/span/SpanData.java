package dev.cairn.span;

import dev.cairn.context.TraceContext;
import java.util.List;

/**
 * What exporters and listeners see of a span. Once {@link #hasEnded()} is true the data never
 * changes again (a span ignores every mutation after {@code end()}), so exporters may read it from
 * any thread.
 *
 * <p>{@link SpanListener#onStart} sees the same object while the span is still running: then
 * {@link #hasEnded()} is false and {@link #endEpochNanos()} is 0.
 */
public interface SpanData {
  /** The span name. */
  String name();

  /** The span kind. */
  SpanKind kind();

  /**
   * The span's own context: trace id, span id, parent span id, flags (sampled or not), trace state,
   * correlation id and baggage.
   */
  TraceContext context();

  /** True when the parent came from a remote process (extracted from headers). */
  boolean parentIsRemote();

  /** Name of the instrumentation scope (the tracer name) that created the span. */
  String scopeName();

  /** Version of the instrumentation scope, or the empty string. */
  String scopeVersion();

  /** Start, in nanoseconds since the Unix epoch. */
  long startEpochNanos();

  /** End, in nanoseconds since the Unix epoch; 0 while running. */
  long endEpochNanos();

  /** True once the span has ended. */
  boolean hasEnded();

  /** The attributes (at most the configured limit). */
  Attributes attributes();

  /** The events, oldest first (at most the configured limit). */
  List<EventData> events();

  /** The links (at most the configured limit). */
  List<LinkData> links();

  /** The status. */
  StatusCode statusCode();

  /** The status description (only meaningful for {@link StatusCode#ERROR}), or the empty string. */
  String statusDescription();

  /** Attributes dropped because the span had reached its attribute limit. */
  int droppedAttributesCount();

  /** Events dropped because the span had reached its event limit. */
  int droppedEventsCount();

  /** Links dropped because the span had reached its link limit. */
  int droppedLinksCount();

  /** Duration in nanoseconds (end − start), 0 while running. */
  default long durationNanos() {
    return hasEnded() ? endEpochNanos() - startEpochNanos() : 0;
  }
}
