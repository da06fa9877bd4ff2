package dev.cairn.span;

/**
 * A synchronous observer of every span the tracer records, sampled or not: the hook for local
 * sinks such as JFR events and in-memory rings. Both methods run on the thread that starts or ends
 * the span, so they must be cheap and must not block. An exception thrown by a listener is
 * contained and counted ({@code cairn.pipeline.sink.failed}); the span carries on.
 *
 * <p>{@link #onStart} may return a per-span state object (for example an event opened at start);
 * the tracer hands it back to {@link #onEnd} of the same listener for the same span, so listeners
 * need no map from span to state.
 */
public interface SpanListener {
  /**
   * Called when a recording span starts, before {@code startSpan()} returns.
   *
   * @return state for {@link #onEnd}, or {@code null}
   */
  default Object onStart(SpanData span) {
    return null;
  }

  /**
   * Called once when the span ends, before it is queued for export.
   *
   * @param state what {@link #onStart} returned for this span, or {@code null}
   */
  default void onEnd(SpanData span, Object state) {}
}
